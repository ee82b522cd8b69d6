using System.Threading;

namespace Pigeon.Device
{
    /// <summary>The board's entry point: nanoCLR calls Main once after boot.</summary>
    public class Program
    {
        /// <summary>Runs the device until it reboots (the app never returns on purpose).</summary>
        public static void Main()
        {
            DeviceApp app = new DeviceApp();
            app.Run();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
