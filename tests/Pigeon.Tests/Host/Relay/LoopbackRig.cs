using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Pigeon.Testing;
using Pigeon.Config;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Sockets;
using Pigeon.Pumps.Events;
using Pigeon.Pumps.Threaded;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// Relay configs, relays and TLS for relay tests on 127.0.0.1; ports, clients and waits are
    /// Pigeon.Testing's <see cref="Loopback"/>, one relay with its upstream a <see cref="RelayRun"/>.
    /// </summary>
    internal static class LoopbackRig
    {
        private static X509Certificate2 s_certificate;

        public static RelayConfig Config(int maxSessions = 4, int bufferBytes = 16384)
        {
            RelayConfig c = ConfigDefaults.Relay(false);
            c.MaxSessions = maxSessions;
            c.BufferBytes = bufferBytes;
            c.Routes = new RouteConfig[0];
            return c;
        }

        public static RouteConfig Plain(int listenPort, int upstreamPort, bool proxy = false, string upstream = "127.0.0.1", string fallback = "")
        {
            RouteConfig r = ConfigDefaults.NewRoute();
            r.Name = "chat-" + listenPort; // names must differ (the validator)
            r.ListenAddress = "127.0.0.1";
            r.ListenPort = listenPort;
            r.UpstreamHost = upstream;
            r.UpstreamPort = upstreamPort;
            r.FallbackHost = fallback;
            r.ProxyProtocol = proxy;
            return r;
        }

        public static RouteConfig Sni(int listenPort, int upstreamPort, params string[] allowed)
        {
            RouteConfig r = ConfigDefaults.NewRoute();
            r.Name = "media-" + listenPort;
            r.ListenAddress = "127.0.0.1";
            r.ListenPort = listenPort;
            r.UpstreamHost = "127.0.0.1";
            r.UpstreamPort = upstreamPort;
            r.AllowedSni = allowed.Length == 0 ? ConfigDefaults.MediaAllowedSni() : allowed;
            return r;
        }

        /// <summary>A chat route with TLS on (terminateTls); with <paramref name="proxyVersion"/> 1 or 2, the PROXY header of that version upstream.</summary>
        public static RouteConfig TlsChat(int listenPort, int upstreamPort, int proxyVersion = 0)
        {
            RouteConfig route = Plain(listenPort, upstreamPort, proxy: proxyVersion > 0);
            route.Name = "chat-tls";
            route.ProxyProtocolVersion = proxyVersion == 2 ? 2 : 1;
            route.TerminateTls = true;
            return route;
        }

        /// <summary>
        /// The relay of <paramref name="pump"/> (HostApp.CreateRelay): the host's "events" (on Linux
        /// its own epoll loops and OpenSSL), "events-portable" (the same pump over .NET sockets, as
        /// on every other OS), "events-sslstream" (the Linux loops with SslStream, as where OpenSSL
        /// cannot be bound), or the board's "threads".
        /// </summary>
        public static RelayServer CreateRelay(string pump, RelayConfig config, IResolver resolver = null, IClock clock = null)
        {
            bool portable = pump == "events-portable";
            bool sslStream = pump == "events-sslstream";
            RelayServer relay = HostApp.CreateRelay(config, portable || sslStream ? "events" : pump, resolver ?? new HostResolver(), clock ?? new HostClock(), new NullLog());
            if (relay is EventRelay events)
            {
                events.UsesEpoll &= !portable;
                events.UsesOpenSsl = !sslStream;
            }

            return relay;
        }

        /// <summary>Starts a relay with the host's pump "events" (or "events-portable", "events-sslstream") or the board's "threads".</summary>
        public static RelayServer StartRelay(string pump, RelayConfig config, IResolver resolver = null, IClock clock = null)
        {
            return StartRelay(pump, config, (Pigeon.Host.Tls.CertificateStore)null, resolver, clock);
        }

        /// <summary>Starts a relay whose terminateTls routes present <paramref name="identity"/>.</summary>
        public static RelayServer StartRelay(string pump, RelayConfig config, Pigeon.Host.Tls.TlsIdentity identity, IClock clock = null)
        {
            return StartRelay(pump, config, new Pigeon.Host.Tls.CertificateStore(identity), null, clock);
        }

        /// <summary>Starts a relay whose terminateTls routes present what <paramref name="certificates"/> chooses (none: no such routes).</summary>
        public static RelayServer StartRelay(string pump, RelayConfig config, Pigeon.Host.Tls.CertificateStore certificates, IResolver resolver = null, IClock clock = null)
        {
            RelayServer relay = CreateRelay(pump, config, resolver, clock);
            if (certificates != null && relay is EventRelay events)
            {
                events.Certificates = certificates;
            }
            else if (certificates != null)
            {
                ((ThreadedRelay)relay).Tls = new Pigeon.Host.Tls.TlsServer(certificates);
            }

            relay.Start();
            for (int i = 0; i < relay.RouteCount; i++)
            {
                if (!relay.GetListener(i).IsListening)
                {
                    throw new InvalidOperationException("route did not listen: " + relay.GetListener(i).Error);
                }
            }

            return relay;
        }

        /// <summary>Writes <paramref name="count"/> deterministic bytes and returns their SHA-256.</summary>
        public static byte[] SendPattern(Stream s, int count, int seed)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] chunk = new byte[64 * 1024];
            new Random(seed).NextBytes(chunk);
            int sent = 0;
            while (sent < count)
            {
                int n = Math.Min(chunk.Length, count - sent);
                chunk[0] = (byte)(sent >> 16); // vary the chunks so reordering would show
                s.Write(chunk, 0, n);
                hash.AppendData(chunk, 0, n);
                sent += n;
            }

            s.Flush();
            return hash.GetHashAndReset();
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes and returns their SHA-256.</summary>
        public static byte[] ReceiveHash(Stream s, int count)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[64 * 1024];
            int got = 0;
            while (got < count)
            {
                int n = s.Read(buffer, 0, Math.Min(buffer.Length, count - got));
                if (n == 0)
                {
                    throw new EndOfStreamException("closed after " + got + " bytes");
                }

                hash.AppendData(buffer, 0, n);
                got += n;
            }

            return hash.GetHashAndReset();
        }

        /// <summary>The test upstream's certificate (RSA, whatsapp.net and *.whatsapp.net), made once a run.</summary>
        public static X509Certificate2 Certificate()
        {
            if (s_certificate == null)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                s_certificate = TestCertificates.SelfSigned("whatsapp.net", new[] { "whatsapp.net", "*.whatsapp.net" }, now.AddDays(-1), now.AddDays(1), true);
            }

            return s_certificate;
        }

        /// <summary>A TLS client over a connected socket (accepts the test's self-signed certificate).</summary>
        public static SslStream TlsClient(Socket s, string sni)
        {
            SslStream ssl = new SslStream(new NetworkStream(s, ownsSocket: true), false);
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = sni, RemoteCertificateValidationCallback = (a, b, c, d) => true });
            return ssl;
        }

        public static SslStream TlsServer(Socket s)
        {
            SslStream ssl = new SslStream(new NetworkStream(s, ownsSocket: true), false);
            ssl.AuthenticateAsServer(Certificate(), false, false);
            return ssl;
        }

        private sealed class NullLog : ILog
        {
            public void Info(string message) { }
            public void Warn(string message) { }
        }
    }
}
