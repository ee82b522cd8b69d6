// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Json;
using Pigeon.Portal;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Portal
{
    /// <summary>Requests to a <see cref="PortalApi"/> without sockets, and reading its answers (the API tests' helpers).</summary>
    public static class PortalCalls
    {
        /// <summary>The admin password <see cref="SetUp"/> sets.</summary>
        public const string Password = "correct horse";

        /// <summary>One request through the API: the method, path, JSON body (null for none), cookie, CSRF token and extra header lines given.</summary>
        public static HttpResponse Call(PortalApi api, string method, string path, string body, string cookie, string csrf, string extraHeaders)
        {
            string head = method + " " + path + " HTTP/1.1\r\nHost: 192.168.4.1\r\n";
            if (body != null)
            {
                head += "Content-Type: application/json\r\nContent-Length: " + Utf8.ByteCount(body).ToString() + "\r\n";
            }

            if (cookie != null)
            {
                head += "Cookie: " + cookie + "\r\n";
            }

            if (csrf != null)
            {
                head += "X-CSRF-Token: " + csrf + "\r\n";
            }

            if (extraHeaders != null)
            {
                head += extraHeaders;
            }

            head += "\r\n";
            ScriptedConnection c = new ScriptedConnection(0).Then(Bytes.Ascii(head));
            if (body != null)
            {
                c.Then(Utf8.GetBytes(body));
            }

            HttpRequest request = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)HttpRequestReader.Read(c, request));
            HttpResponse response = new HttpResponse();
            api.Handle(request, response);
            return response;
        }

        /// <summary>A POST whose body is raw bytes (for bodies no C# string holds).</summary>
        public static HttpResponse PostBytes(PortalApi api, string path, byte[] body, string cookie, string csrf)
        {
            string head = "POST " + path + " HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.Length.ToString() + "\r\nCookie: " + cookie + "\r\nX-CSRF-Token: " + csrf + "\r\n\r\n";
            ScriptedConnection c = new ScriptedConnection(0).Then(Bytes.Ascii(head)).Then(body);
            HttpRequest request = new HttpRequest();
            Assert.AreEqual((int)HttpReadResult.Ok, (int)HttpRequestReader.Read(c, request));
            HttpResponse response = new HttpResponse();
            api.Handle(request, response);
            return response;
        }

        /// <summary>A GET with an optional cookie.</summary>
        public static HttpResponse Get(PortalApi api, string path, string cookie)
        {
            return Call(api, "GET", path, null, cookie, null, null);
        }

        /// <summary>A JSON POST with a cookie and a CSRF token (either may be null).</summary>
        public static HttpResponse Post(PortalApi api, string path, string body, string cookie, string csrf)
        {
            return Call(api, "POST", path, body, cookie, csrf, null);
        }

        /// <summary>The answer's body as text.</summary>
        public static string Text(HttpResponse response)
        {
            return Utf8.Decode(response.Body, 0, response.BodyLength);
        }

        /// <summary>The answer's body as JSON (fails the test when it is not).</summary>
        public static JsonNode Json(HttpResponse response)
        {
            JsonError error;
            JsonNode node = JsonReader.Parse(response.Body, 0, response.BodyLength, 8, out error);
            Assert.IsNotNull(node, Text(response));
            return node;
        }

        /// <summary>A JSON number as an int (fails the test when it is not one).</summary>
        public static int Int(JsonNode number)
        {
            int value;
            Assert.IsTrue(number.TryGetInt(out value), number.Text);
            return value;
        }

        /// <summary>"pigeon_session=..." from the answer's Set-Cookie.</summary>
        public static string CookieOf(HttpResponse response)
        {
            string set = response.SetCookie;
            return set.Substring(0, set.IndexOf(';'));
        }

        /// <summary>An API over the fake backend (its clock and random source too).</summary>
        public static PortalApi NewApi(FakePortalBackend backend)
        {
            return new PortalApi(backend, backend, backend);
        }

        /// <summary>Sets the first password; returns the session cookie and the CSRF token.</summary>
        public static string[] SetUp(PortalApi api)
        {
            HttpResponse r = Post(api, "/api/admin-password", "{\"password\":\"" + Password + "\"}", null, null);
            Assert.AreEqual(200, r.Status);
            return new string[] { CookieOf(r), Json(r).Get("csrf").Text };
        }
    }
}
