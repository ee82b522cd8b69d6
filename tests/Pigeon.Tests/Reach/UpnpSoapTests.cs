// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Pigeon.Reach;

namespace Pigeon.Tests.Reach
{
    [TestClass]
    public class UpnpSoapTests
    {
        [TestMethod]
        public void Envelope_AddPortMapping_ArgumentsInOrderAndEscaped()
        {
            string body = UpnpSoap.Envelope("urn:schemas-upnp-org:service:WANIPConnection:1", "AddPortMapping", new string[]
            {
                "NewRemoteHost", "", "NewExternalPort", "5222", "NewPortMappingDescription", "a<b>&\"c",
            });
            Assert.IsTrue(body.IndexOf("<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">") > 0);
            Assert.IsTrue(body.IndexOf("<NewRemoteHost></NewRemoteHost><NewExternalPort>5222</NewExternalPort>") > 0);
            Assert.IsTrue(body.IndexOf("<NewPortMappingDescription>a&lt;b&gt;&amp;&quot;c</NewPortMappingDescription>") > 0);
            Assert.IsTrue(body.IndexOf("</u:AddPortMapping></s:Body></s:Envelope>") > 0);
        }

        [TestMethod]
        public void Judge_Ok_Success()
        {
            UpnpResult result = UpnpSoap.Judge(Response(200, "<s:Envelope><s:Body><u:AddPortMappingResponse xmlns:u=\"x\"/></s:Body></s:Envelope>"), "AddPortMapping");
            Assert.IsTrue(result.Ok);
        }

        [TestMethod]
        public void Judge_OkButOtherAction_Refused()
        {
            UpnpResult result = UpnpSoap.Judge(Response(200, "<html>hello</html>"), "AddPortMapping");
            Assert.IsFalse(result.Ok);
        }

        [TestMethod]
        [DataRow(718, "port taken by another device")]
        [DataRow(606, "UPnP is off in its settings")]
        [DataRow(401, "does not offer this UPnP action")]
        [DataRow(501, "action failed")]
        [DataRow(725, "only accepts permanent mappings")]
        [DataRow(728, "no free port mapping slots")]
        [DataRow(729, "another mechanism")]
        [DataRow(724, "same port number")]
        [DataRow(402, "invalid arguments")]
        [DataRow(899, "UPnP error 899")]
        public void Judge_Fault_CodeAndSentence(int code, string words)
        {
            UpnpResult result = UpnpSoap.Judge(Response(500, Fault(code)), "AddPortMapping");
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(code, result.FaultCode);
            Assert.IsTrue(result.Message.IndexOf(words) >= 0);
        }

        [TestMethod]
        public void Judge_FaultWithGarbageCode_PlainFailure()
        {
            UpnpResult result = UpnpSoap.Judge(Response(500, "<errorCode>7a8</errorCode>"), "AddPortMapping");
            Assert.IsFalse(result.Ok);
            Assert.AreEqual(0, result.FaultCode);
            Assert.IsTrue(result.Message.IndexOf("HTTP 500") >= 0);
        }

        [TestMethod]
        public void Judge_Http403_UpnpOff()
        {
            UpnpResult result = UpnpSoap.Judge(Response(403, ""), "AddPortMapping");
            Assert.IsTrue(result.Message.IndexOf("UPnP is off") >= 0);
        }

        [TestMethod]
        public void Judge_Transport_Sentence()
        {
            UpnpResult result = UpnpSoap.Judge(RouterResponse.Failed(HttpOutcome.TooLarge), "AddPortMapping");
            Assert.IsFalse(result.Ok);
            Assert.IsTrue(result.Message.IndexOf("too large") >= 0);
        }

        /// <summary>A SOAP fault as miniupnpd sends it.</summary>
        public static string Fault(int code)
        {
            return "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
                + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + code.ToString() + "</errorCode>"
                + "<errorDescription>Error</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>\r\n";
        }

        private static RouterResponse Response(int status, string body)
        {
            RouterResponse response = new RouterResponse();
            response.Outcome = HttpOutcome.Ok;
            response.Status = status;
            response.Body = body;
            return response;
        }
    }
}
