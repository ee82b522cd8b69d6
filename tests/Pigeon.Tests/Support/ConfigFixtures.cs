// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
// The board cannot read the repository's files, so the golden documents in Fixtures/config/ are
// carried here as constants too; Host/Config/ConfigFixtureFilesTests proves both are identical.
namespace Pigeon.Tests.Support
{
    /// <summary>The golden config documents (tests/Pigeon.Tests/Fixtures/config/).</summary>
    public static class ConfigFixtures
    {
        /// <summary>A full config: every section and field set away from its default, non-ASCII SSID, unknown keys in a route and at the top. (full.json)</summary>
        public const string Full = @"{
  ""schemaVersion"": 2,
  ""wifi"": {
    ""ssid"": ""Café Pigeon"",
    ""password"": ""correct horse battery"",
    ""staticAddress"": ""192.168.1.50"",
    ""staticNetmask"": ""255.255.255.0"",
    ""staticGateway"": ""192.168.1.1"",
    ""staticDns"": ""1.1.1.1""
  },
  ""setupAp"": {
    ""ssid"": ""Pigeon-setup"",
    ""password"": ""pigeon-setup-1"",
    ""channel"": 11
  },
  ""admin"": {
    ""passwordHash"": ""pbkdf2-sha256$10000$+8HSgGgu4ZDUAsgF6YuVdVGlcwYngn5H+Ir4qxA6Y9k="",
    ""passwordSalt"": ""AQIDBAUGBwgJCgsMDQ4PEA==""
  },
  ""relay"": {
    ""maxSessions"": 4,
    ""bufferBytes"": 2048,
    ""maxHelloBytes"": 4096,
    ""helloTimeoutSeconds"": 15,
    ""connectTimeoutSeconds"": 6,
    ""idleTimeoutSeconds"": 300,
    ""drainMilliseconds"": 500,
    ""dnsCacheSeconds"": 120,
    ""maxSessionsPerClient"": 2,
    ""evictIdleSeconds"": 45,
    ""decoyPage"": ""<h1>Hello</h1>"",
    ""tlsCertificateFile"": """",
    ""tlsKeyFile"": """",
    ""httpPort"": 0,
    ""acme"": false,
    ""acmeDirectoryUrl"": """",
    ""acmeEmail"": """",
    ""acmeChallenge"": """",
    ""routes"": [
      {
        ""name"": ""chat-5222"",
        ""listenAddress"": ""0.0.0.0"",
        ""listenPort"": 5222,
        ""upstreamHost"": ""g.whatsapp.net"",
        ""upstreamPort"": 5222,
        ""fallbackHost"": ""g-fallback.whatsapp.net"",
        ""proxyProtocol"": ""v2"",
        ""allowedSni"": [],
        ""upstreamFromSni"": false,
        ""allowTls"": false,
        ""terminateTls"": false,
        ""signalSni"": [],
        ""signalPort"": 443,
        ""acceptProxy"": false,
        ""acceptProxyFrom"": [],
        ""chatOpeningCheck"": true
      },
      {
        ""name"": ""media-7777"",
        ""listenAddress"": ""0.0.0.0"",
        ""listenPort"": 7777,
        ""upstreamHost"": ""whatsapp.net"",
        ""upstreamPort"": 443,
        ""fallbackHost"": """",
        ""proxyProtocol"": false,
        ""allowedSni"": [""whatsapp.net"", ""*.whatsapp.net""],
        ""upstreamFromSni"": false,
        ""allowTls"": false,
        ""terminateTls"": false,
        ""signalSni"": [],
        ""signalPort"": 443,
        ""acceptProxy"": false,
        ""acceptProxyFrom"": [],
        ""chatOpeningCheck"": false,
        ""comment"": ""kept: a key this firmware does not know""
      }
    ]
  },
  ""time"": {
    ""ntpServers"": [""pool.ntp.org"", ""192.168.1.1""]
  },
  ""portal"": {
    ""listenAddress"": ""0.0.0.0"",
    ""port"": 8081
  },
  ""network"": {
    ""publicHost"": ""pigeon.example.org"",
    ""portMapping"": false,
    ""dynDnsUrl"": ""https://dyn.example.org/nic/update"",
    ""dynDnsUser"": ""volunteer"",
    ""dynDnsPassword"": ""dyn-secret"",
    ""metricsToken"": ""metrics-secret-0123456789""
  },
  ""futureSection"": {
    ""enabled"": true,
    ""level"": 3
  }
}
";

        /// <summary>The smallest valid config: everything else takes its default. (minimal.json)</summary>
        public const string Minimal = @"{
  ""schemaVersion"": 2
}
";

        /// <summary>Schema version 1 as a host wrote it by default: its fixed per-client cap of 64, and one route's. (v1.json)</summary>
        public const string Version1 = @"{
  ""schemaVersion"": 1,
  ""relay"": {
    ""maxSessions"": 4096,
    ""maxSessionsPerClient"": 64,
    ""routes"": [
      { ""name"": ""chat"", ""listenAddress"": ""0.0.0.0"", ""listenPort"": 5222, ""upstreamHost"": ""g.whatsapp.net"", ""upstreamPort"": 5222 }
    ]
  }
}
";

        /// <summary>Schema version 0: a pre-release relay-only file with no schemaVersion. (v0.json)</summary>
        public const string Version0 = @"{
  ""relay"": {
    ""maxSessions"": 3,
    ""routes"": [
      {
        ""name"": ""chat-443"",
        ""listenPort"": 443,
        ""upstreamHost"": ""g.whatsapp.net"",
        ""upstreamPort"": 5222,
        ""proxyProtocol"": true
      }
    ]
  }
}
";
    }
}
