using Pigeon.Config;
using Pigeon.Json;
using Pigeon.Net;
using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>
    /// The JSON API under /api/. Rules (issue 4, security):
    /// <list type="bullet">
    /// <item>Until an admin password exists, the only state-changing request taken is setting it
    /// (POST /api/admin-password); reads are open then, since there is nothing to protect yet.</item>
    /// <item>After that every request but login needs the session cookie, and every POST also
    /// the session's CSRF token in X-CSRF-Token.</item>
    /// <item>Every POST must be Content-Type application/json (a cross-site HTML form cannot send
    /// that without a CORS preflight, which is never granted) and, when the browser sends an
    /// Origin, it must be this portal's own.</item>
    /// <item>Secrets are never written back (<see cref="PortalSettings"/>) nor logged.</item>
    /// </list>
    /// </summary>
    public sealed class PortalApi
    {
        /// <summary>The factory-reset body must carry this confirmation word.</summary>
        public const string ResetConfirmation = "factory-reset";

        /// <summary>Deepest nesting of { } and [ ] a request body may have (the settings need 3).</summary>
        public const int MaxBodyDepth = 8;

        private const int MaxScan = 24;
        private const string GetRoutes = " /api/status /api/config /api/wifi/scan ";
        private const string PostRoutes = " /api/config /api/login /api/logout /api/admin-password /api/factory-reset /api/tls/new-certificate ";
        private readonly IPortalBackend _backend;
        private readonly IClock _clock;
        private readonly PortalSessions _sessions;
        private readonly LoginLimiter _limiter = new LoginLimiter();
        private readonly WifiNetwork[] _scan = new WifiNetwork[MaxScan];
        private readonly object _lock = new object();

        /// <summary>Creates the API over a backend.</summary>
        public PortalApi(IPortalBackend backend, IClock clock, IRandomBytes random)
        {
            _backend = backend;
            _clock = clock;
            _sessions = new PortalSessions(random);
        }

        /// <summary>The session table (tests and logout-all).</summary>
        public PortalSessions Sessions
        {
            get { return _sessions; }
        }

        /// <summary>Port mapping, public address, dynamic DNS and upstream health for /api/status ("reach"); null = none.</summary>
        public IReachStatus Reach { get; set; }

        /// <summary>The last 24 hours in one line for /api/status ("last24h"); null = none (the board).</summary>
        public IDailySummary Summary { get; set; }

        /// <summary>
        /// The certificate of the routes that take the app's TLS off, for /api/status ("tls") and
        /// POST /api/tls/new-certificate; null = no route terminates TLS (always on the board).
        /// </summary>
        public ITlsCertificate Tls { get; set; }

        /// <summary>True when the request carries a live admin session cookie (for /metrics in a browser).</summary>
        public bool IsAdmin(HttpRequest request)
        {
            lock (_lock)
            {
                return _sessions.Find(request.GetCookie(PortalSessions.CookieName), _clock.NowMilliseconds) >= 0;
            }
        }

        /// <summary>Answers a request whose path starts with /api/.</summary>
        public void Handle(HttpRequest request, HttpResponse response)
        {
            // One request at a time through the API: saves, password hashing and resets must not
            // interleave, and the board serves at most two clients anyway.
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                bool post = request.Method == "POST";
                bool get = request.Method == "GET" || request.Method == "HEAD";
                string path = request.Path;
                bool getRoute = GetRoutes.IndexOf(" " + path + " ") >= 0;
                bool postRoute = PostRoutes.IndexOf(" " + path + " ") >= 0;
                if (!getRoute && !postRoute)
                {
                    response.SetError(404, "no such API");
                    return;
                }

                if (!(get && getRoute) && !(post && postRoute))
                {
                    response.SetError(405, "method not allowed");
                    return;
                }

                int session = _sessions.Find(request.GetCookie(PortalSessions.CookieName), now);
                bool passwordSet = _backend.IsAdminPasswordSet;
                if (get)
                {
                    if (passwordSet && session < 0)
                    {
                        LoginRequired(response);
                        return;
                    }

                    if (path == "/api/status")
                    {
                        Status(response, session, passwordSet);
                    }
                    else if (path == "/api/config")
                    {
                        Config(response);
                    }
                    else
                    {
                        Scan(response);
                    }

                    return;
                }

                if (request.ContentType != "application/json")
                {
                    response.SetError(415, "send JSON (Content-Type: application/json)");
                    return;
                }

                if (request.Origin.Length > 0 && request.Origin != "http://" + request.HostHeader)
                {
                    response.SetError(403, "request from another site refused");
                    return;
                }

                // The one strict reader, as for the config file: a repeated key, a lone surrogate or
                // bad UTF-8 is refused here, with where it is.
                JsonError error;
                JsonNode body = JsonReader.Parse(request.Body, 0, request.BodyLength, MaxBodyDepth, out error);
                if (body == null || body.Kind != JsonKind.Object)
                {
                    response.SetError(400, body == null ? "the body is not valid JSON: " + error.ToString() : "the body is not a JSON object");
                    return;
                }

                if (path == "/api/login")
                {
                    Login(response, body, passwordSet, request.ClientAddress, now);
                    return;
                }

                if (path == "/api/admin-password" && !passwordSet)
                {
                    SetPassword(response, body, now);
                    return;
                }

                if (!passwordSet)
                {
                    response.SetError(403, "set the admin password first");
                    return;
                }

                if (session < 0)
                {
                    LoginRequired(response);
                    return;
                }

                if (!_sessions.CheckCsrf(session, request.CsrfToken))
                {
                    response.SetError(403, "missing or wrong CSRF token: reload the page");
                    return;
                }

                switch (path)
                {
                    case "/api/logout":
                        _sessions.End(session);
                        response.SetCookie = ExpiredCookie();
                        Ok(response);
                        break;
                    case "/api/admin-password":
                        ChangePassword(response, body, request.ClientAddress, now);
                        break;
                    case "/api/config":
                        SaveConfig(response, body);
                        break;
                    case "/api/tls/new-certificate":
                        NewCertificate(response);
                        break;
                    default:
                        FactoryReset(response, body);
                        break;
                }
            }
        }

        private void Status(HttpResponse response, int session, bool passwordSet)
        {
            JsonWriter json = new JsonWriter(1024);
            json.BeginObject();
            json.Member("passwordSet", passwordSet);
            json.Member("loggedIn", session >= 0);
            if (session >= 0)
            {
                json.Member("csrf", _sessions.GetCsrf(session));
            }

            IReachStatus reach = Reach;
            StatusWriter.Write(json, _backend, _backend.LoadConfig(), reach == null ? null : reach.ShareHost());
            IDailySummary summary = Summary;
            if (summary != null)
            {
                json.Member("last24h", summary.Line());
            }

            if (reach != null)
            {
                json.Name("reach");
                reach.WriteStatus(json);
            }

            ITlsCertificate tls = Tls;
            if (tls != null)
            {
                json.Name("tls");
                tls.WriteStatus(json);
            }

            json.EndObject();
            response.SetJson(200, json);
        }

        // A new certificate for the TLS routes (admin only, like every POST). Phones keep working:
        // WhatsApp does not pin the certificate. The caller logs it (name and fingerprint only).
        private void NewCertificate(HttpResponse response)
        {
            ITlsCertificate tls = Tls;
            if (tls == null)
            {
                response.SetError(404, "no route terminates TLS, so there is no certificate");
                return;
            }

            string error;
            if (!tls.Renew(out error))
            {
                response.SetError(409, error == null || error.Length == 0 ? "the certificate cannot be replaced" : error);
                return;
            }

            JsonWriter json = new JsonWriter(256);
            json.BeginObject().Member("ok", true).Name("tls");
            tls.WriteStatus(json);
            json.EndObject();
            response.SetJson(200, json);
        }

        private void Config(HttpResponse response)
        {
            JsonWriter json = new JsonWriter(512);
            json.BeginObject();
            PortalSettings.Write(json, _backend.LoadConfig());
            json.EndObject();
            response.SetJson(200, json);
        }

        private void Scan(HttpResponse response)
        {
            int count = _backend.ScanWifi(_scan);
            if (count > MaxScan)
            {
                count = MaxScan;
            }

            JsonWriter json = new JsonWriter(512);
            json.BeginObject();
            json.Member("fake", _backend.WifiScanIsFake);
            json.Name("networks").BeginArray();
            for (int i = 0; i < count; i++)
            {
                WifiNetwork n = _scan[i];
                if (n == null)
                {
                    continue;
                }

                json.BeginObject().Member("ssid", n.Ssid ?? string.Empty).Member("rssi", n.Rssi).Member("secure", n.Secure).EndObject();
            }

            json.EndArray();
            json.EndObject();
            response.SetJson(200, json);
        }

        private void Login(HttpResponse response, JsonNode body, bool passwordSet, uint client, long now)
        {
            if (!passwordSet)
            {
                response.SetError(409, "no admin password yet: set one first");
                return;
            }

            int wait;
            if (!_limiter.IsAllowed(client, now, out wait))
            {
                response.RetryAfterSeconds = wait;
                response.SetError(429, "too many wrong passwords: try again in " + wait.ToString() + " seconds");
                return;
            }

            string password = StringMember(body, "password");
            if (password == null || !_backend.VerifyAdminPassword(password))
            {
                _limiter.Failed(client, now);
                response.SetError(401, "wrong password");
                return;
            }

            _limiter.Succeeded(client, now);
            StartSession(response, now);
        }

        private void SetPassword(HttpResponse response, JsonNode body, long now)
        {
            ValidationReport report = new ValidationReport();
            if (!_backend.SetAdminPassword(StringMember(body, "password"), report))
            {
                Invalid(response, report, null);
                return;
            }

            _sessions.EndAll();
            StartSession(response, now);
        }

        private void ChangePassword(HttpResponse response, JsonNode body, uint client, long now)
        {
            int wait;
            if (!_limiter.IsAllowed(client, now, out wait))
            {
                response.RetryAfterSeconds = wait;
                response.SetError(429, "too many wrong passwords: try again in " + wait.ToString() + " seconds");
                return;
            }

            string current = StringMember(body, "currentPassword");
            ValidationReport report = new ValidationReport();
            if (current == null || !_backend.VerifyAdminPassword(current))
            {
                _limiter.Failed(client, now);
                report.AddError("currentPassword", "this is not the current admin password");
                Invalid(response, report, null);
                return;
            }

            if (!_backend.SetAdminPassword(StringMember(body, "password"), report))
            {
                Invalid(response, report, null);
                return;
            }

            _sessions.EndAll(); // every other browser logged in with the old password is logged out
            StartSession(response, now);
        }

        private void SaveConfig(HttpResponse response, JsonNode body)
        {
            // The change is read onto a copy of the config by the config's own mapper and checked
            // by its validator when the store saves: every problem at once, at the page's fields.
            ValidationReport report = new ValidationReport();
            PigeonConfig config = _backend.LoadConfig();
            PortalSettings.Apply(body, config, report);
            if (!_backend.SaveConfig(config, report))
            {
                if (report.ErrorCount == 0)
                {
                    report.AddError(ValidationReport.DocumentPath, "the settings could not be saved");
                }

                Invalid(response, report, config);
                return;
            }

            JsonWriter json = new JsonWriter(64);
            json.BeginObject().Member("ok", true).Member("restartRequired", true).EndObject();
            response.SetJson(200, json);
        }

        private void FactoryReset(HttpResponse response, JsonNode body)
        {
            if (StringMember(body, "confirm") != ResetConfirmation)
            {
                ValidationReport report = new ValidationReport();
                report.AddError("confirm", "confirm the factory reset first");
                Invalid(response, report, null);
                return;
            }

            _backend.FactoryReset();
            _sessions.EndAll();
            response.SetCookie = ExpiredCookie();
            Ok(response);
        }

        private void StartSession(HttpResponse response, long now)
        {
            int slot = _sessions.Create(now);
            response.SetCookie = PortalSessions.CookieName + "=" + _sessions.GetToken(slot)
                + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + (PortalSessions.IdleMs / 1000).ToString();
            JsonWriter json = new JsonWriter(96);
            json.BeginObject().Member("ok", true).Member("csrf", _sessions.GetCsrf(slot)).EndObject();
            response.SetJson(200, json);
        }

        private static string ExpiredCookie()
        {
            return PortalSessions.CookieName + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
        }

        private void LoginRequired(HttpResponse response)
        {
            JsonWriter json = new JsonWriter(96);
            json.BeginObject().Member("error", "log in first").Member("passwordSet", _backend.IsAdminPasswordSet)
                .Member("mode", _backend.IsSetupMode ? "setup" : "run").EndObject();
            response.SetJson(401, json);
        }

        // 422 {"error": ..., "errors": [{"path", "message"}]}: the errors at the page's field
        // names (PortalSettings.FieldPath), the first message per field only (a wrong type and the
        // range it then misses are one problem).
        private static void Invalid(HttpResponse response, ValidationReport report, PigeonConfig config)
        {
            JsonWriter json = new JsonWriter(256);
            json.BeginObject().Member("error", "some settings need a change").Name("errors").BeginArray();
            string[] written = new string[report.ErrorCount];
            int count = 0;
            for (int i = 0; i < report.ErrorCount; i++)
            {
                ValidationIssue issue = report.GetError(i);
                string path = PortalSettings.FieldPath(issue.Path, config);
                if (TextList.IndexOf(written, count, path) < 0)
                {
                    written[count++] = path;
                    json.BeginObject().Member("path", path).Member("message", issue.Message).EndObject();
                }
            }

            json.EndArray().EndObject();
            response.SetJson(422, json);
        }

        private static void Ok(HttpResponse response)
        {
            JsonWriter json = new JsonWriter(16);
            json.BeginObject().Member("ok", true).EndObject();
            response.SetJson(200, json);
        }

        private static string StringMember(JsonNode body, string name)
        {
            return body.GetString(name);
        }
    }
}
