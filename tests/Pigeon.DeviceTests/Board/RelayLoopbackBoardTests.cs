using System.Threading;
using Pigeon.Config;
using Pigeon.Device;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Sockets;
using Pigeon.Tests.Support;
using nanoFramework.TestFramework;
using Pigeon.Pumps.Threaded;

namespace Pigeon.DeviceTests.Board
{
    /// <summary>
    /// A TCP round trip through the relay on the board's own lwIP stack over 127.0.0.1: client ->
    /// relay route -> echo server -> back. Proves the shared socket adapters and the relay's
    /// threads work under nanoCLR with real sockets. Skipped without a board.
    /// </summary>
    [TestClass]
    public class RelayLoopbackBoardTests
    {
        private const int RelayPort = 17001;
        private const int EchoPort = 17002;

        [Setup]
        public void OnlyOnABoard()
        {
            if (!BoardCheck.OnEsp32)
            {
                Assert.SkipTest("needs an ESP32 (run with nano.board.runsettings)");
            }
        }

        [TestMethod]
        public void Relay_Loopback_EchoesEveryByte()
        {
            SocketTransport transport = new SocketTransport();
            string error;
            IListener echoListener = transport.Listen(IPv4.Loopback, EchoPort, 1, out error);
            Assert.IsNotNull(echoListener, error);
            IConnection echoSide = transport.CreateConnection();
            Thread echo = new Thread(() =>
            {
                if (echoListener.Accept(echoSide))
                {
                    byte[] buffer = new byte[512];
                    int n;
                    while ((n = echoSide.Receive(buffer, 0, buffer.Length)) > 0)
                    {
                        if (!echoSide.Send(buffer, 0, n))
                        {
                            break;
                        }
                    }

                    echoSide.Close();
                }
            });
            echo.Start();

            RelayConfig config = ConfigDefaults.Relay(true);
            config.MaxSessions = 1;
            RouteConfig route = new RouteConfig();
            route.Name = "loopback";
            route.ListenAddress = "127.0.0.1";
            route.ListenPort = RelayPort;
            route.UpstreamHost = "echo.test";
            route.UpstreamPort = EchoPort;
            config.Routes = new RouteConfig[] { route };
            RelayServer relay = new ThreadedRelay(config, transport, new FakeResolver("echo.test", IPv4.Loopback), new DeviceClock(), new DeviceLog());
            Assert.AreEqual(1, relay.Start());
            try
            {
                IConnection client = transport.CreateConnection();
                Assert.IsTrue(client.Connect(IPv4.Loopback, RelayPort));
                byte[] sent = new byte[4096];
                for (int i = 0; i < sent.Length; i++)
                {
                    sent[i] = (byte)(i * 7);
                }

                Assert.IsTrue(client.Send(sent, 0, sent.Length));
                byte[] got = new byte[sent.Length];
                int total = 0;
                while (total < got.Length)
                {
                    int n = client.Receive(got, total, got.Length - total);
                    Assert.IsTrue(n > 0, "the relay closed after " + total.ToString() + " bytes");
                    total += n;
                }

                for (int i = 0; i < sent.Length; i++)
                {
                    Assert.AreEqual(sent[i], got[i]);
                }

                client.Close();
            }
            finally
            {
                relay.Stop();
                echoListener.Close();
            }
        }
    }
}
