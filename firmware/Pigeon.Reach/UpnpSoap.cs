using Pigeon.Text;

namespace Pigeon.Reach
{
    /// <summary>
    /// SOAP 1.1 bodies for the three IGD actions the mapper uses, and the reading of their answers
    /// (UPnP Device Architecture 2.0, 3.2).
    /// <code>
    /// &lt;s:Envelope ...&gt;&lt;s:Body&gt;&lt;u:ACTION xmlns:u="SERVICE"&gt; &lt;NewArg&gt;value&lt;/NewArg&gt; ... &lt;/u:ACTION&gt;&lt;/s:Body&gt;&lt;/s:Envelope&gt;
    /// success: HTTP 200, &lt;u:ACTIONResponse&gt; with out arguments
    /// fault:   HTTP 500, &lt;s:Fault&gt; ... &lt;UPnPError&gt;&lt;errorCode&gt;718&lt;/errorCode&gt; ...
    /// </code>
    /// </summary>
    public static class UpnpSoap
    {
        /// <summary>The body of an action with arguments given as name/value pairs.</summary>
        public static string Envelope(string serviceType, string action, string[] namesAndValues)
        {
            TextBuffer text = new TextBuffer(512, 4096);
            text.Append("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" ")
                .Append("s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:")
                .Append(action).Append(" xmlns:u=\"").Append(serviceType).Append("\">");
            for (int i = 0; namesAndValues != null && i + 1 < namesAndValues.Length; i += 2)
            {
                text.Append("<").Append(namesAndValues[i]).Append(">").Append(Escape(namesAndValues[i + 1]))
                    .Append("</").Append(namesAndValues[i]).Append(">");
            }

            text.Append("</u:").Append(action).Append("></s:Body></s:Envelope>\r\n");
            return text.ToString();
        }

        /// <summary>
        /// Judges an answer: Ok on HTTP 200 with the action's response element, a fault with its
        /// code and sentence otherwise.
        /// </summary>
        public static UpnpResult Judge(RouterResponse response, string action)
        {
            if (response.Outcome != HttpOutcome.Ok)
            {
                return UpnpResult.Fail(0, Transport(response.Outcome));
            }

            if (response.Status == 200)
            {
                if (response.Body.IndexOf(action + "Response") < 0)
                {
                    return UpnpResult.Fail(0, "the router's answer was not a " + action + " response; ignored");
                }

                UpnpResult ok = new UpnpResult();
                ok.Ok = true;
                return ok;
            }

            string codeText = IgdDescription.Element(response.Body, "errorCode", 0, response.Body.Length);
            int code;
            if (response.Status == 500 && TryParseCode(codeText, out code))
            {
                return UpnpResult.Fail(code, UpnpFault.Explain(code));
            }

            if (response.Status == 401 || response.Status == 403)
            {
                return UpnpResult.Fail(0, "the router refused: UPnP is off in its settings, or it does not allow devices to open ports (HTTP " + response.Status.ToString() + ")");
            }

            return UpnpResult.Fail(0, "the router's UPnP service answered HTTP " + response.Status.ToString());
        }

        /// <summary>A plain sentence for a failed exchange.</summary>
        public static string Transport(HttpOutcome outcome)
        {
            switch (outcome)
            {
                case HttpOutcome.ConnectFailed:
                    return "cannot connect to the router's UPnP service";
                case HttpOutcome.Timeout:
                    return "the router's UPnP service did not answer in time";
                case HttpOutcome.TooLarge:
                    return "the router's answer was too large; ignored";
                case HttpOutcome.Malformed:
                    return "the router's answer was not valid HTTP; ignored";
                default:
                    return "cannot send to the router's UPnP service";
            }
        }

        /// <summary>XML-escapes a value we put in a body (descriptions come from the config).</summary>
        public static string Escape(string text)
        {
            if (text == null)
            {
                return "";
            }

            TextBuffer result = new TextBuffer(text.Length + 16, (text.Length * 6) + 16);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '&')
                {
                    result.Append("&amp;");
                }
                else if (c == '<')
                {
                    result.Append("&lt;");
                }
                else if (c == '>')
                {
                    result.Append("&gt;");
                }
                else if (c == '"')
                {
                    result.Append("&quot;");
                }
                else
                {
                    result.Append(text.Substring(i, 1));
                }
            }

            return result.ToString();
        }

        private static bool TryParseCode(string text, out int code)
        {
            code = 0;
            if (text == null || text.Length > 4 || !Integer.TryParse(text, out code) || code < 0)
            {
                code = 0;
                return false;
            }

            return true;
        }
    }
}
