// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace nanoFramework.Networking
{
    public class Sntp
    {
        public static bool IsStarted
        {
            get { throw new NotSupportedException(); }
        }

        public static string Server1
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public static string Server2
        {
            get { throw new NotSupportedException(); }
            set { throw new NotSupportedException(); }
        }

        public static void Start()
        {
            throw new NotSupportedException();
        }

        public static void UpdateNow()
        {
            throw new NotSupportedException();
        }
    }
}
