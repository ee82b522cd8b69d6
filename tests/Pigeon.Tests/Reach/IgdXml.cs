// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
namespace Pigeon.Tests.Reach
{
    /// <summary>
    /// Device descriptions shaped like miniupnpd 2.x's rootDesc.xml (the IGD most home routers and
    /// OpenWrt run): root device, WANDevice, WANConnectionDevice holding the connection service.
    /// Written from the UPnP IGD 1.0 schema, not a capture.
    /// </summary>
    public static class IgdXml
    {
        /// <summary>A description whose WAN connection service has the given type and control URL.</summary>
        public static string Build(string urlBase, string serviceType, string controlUrl)
        {
            return "<?xml version=\"1.0\"?>\r\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
                + "<specVersion><major>1</major><minor>1</minor></specVersion>"
                + (urlBase == null ? "" : "<URLBase>" + urlBase + "</URLBase>")
                + "<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
                + "<friendlyName>OpenWrt router</friendlyName><manufacturer>OpenWrt</manufacturer>"
                + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>"
                + "<serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId><controlURL>/ctl/L3F</controlURL>"
                + "<eventSubURL>/evt/L3F</eventSubURL><SCPDURL>/L3F.xml</SCPDURL></service></serviceList>"
                + "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>"
                + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>"
                + "<serviceId>urn:upnp-org:serviceId:WANCommonIFC1</serviceId><controlURL>/ctl/CmnIfCfg</controlURL>"
                + "<eventSubURL>/evt/CmnIfCfg</eventSubURL><SCPDURL>/WANCfg.xml</SCPDURL></service></serviceList>"
                + "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>"
                + "<serviceList><service><serviceType>" + serviceType + "</serviceType>"
                + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>" + controlUrl + "</controlURL>"
                + "<eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>"
                + "</device></deviceList></device></deviceList>"
                + "<presentationURL>http://192.168.1.1/</presentationURL></device></root>\r\n";
        }

        /// <summary>The usual WANIPConnection:1 description with a relative control URL.</summary>
        public static string Standard()
        {
            return Build(null, "urn:schemas-upnp-org:service:WANIPConnection:1", "/ctl/IPConn");
        }
    }
}
