namespace Pigeon.Reach
{
    /// <summary>A WAN connection service found in the router's description.</summary>
    public sealed class IgdService
    {
        /// <summary>Creates the service record.</summary>
        public IgdService(string serviceType, HttpUrl control)
        {
            ServiceType = serviceType;
            Control = control;
        }

        /// <summary>"urn:schemas-upnp-org:service:WANIPConnection:1" (or WANPPPConnection, version 1 or 2).</summary>
        public string ServiceType { get; private set; }

        /// <summary>Where SOAP actions are posted; always on the router's own address.</summary>
        public HttpUrl Control { get; private set; }

        /// <summary>True for WANPPPConnection (a PPPoE line).</summary>
        public bool IsPpp
        {
            get { return ServiceType.IndexOf("WANPPPConnection") >= 0; }
        }
    }
}
