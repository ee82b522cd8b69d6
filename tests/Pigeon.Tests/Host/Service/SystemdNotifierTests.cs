using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host.Service;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>sd_notify(3) datagrams, received on a socket the test binds as systemd would.</summary>
    [TestClass]
    public class SystemdNotifierTests
    {
        internal static Socket Bind(string address)
        {
            Socket socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(address));
            socket.ReceiveTimeout = 5000;
            return socket;
        }

        internal static string Receive(Socket socket)
        {
            byte[] buffer = new byte[4096];
            int n = socket.Receive(buffer);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }

        [TestMethod]
        public void Notify_PathSocket_GetsTheStateAsOneDatagram()
        {
            if (OperatingSystem.IsWindows())
            {
                Assert.Inconclusive("no systemd on Windows");
            }

            string path = Path.Combine(Path.GetTempPath(), "pigeon-notify-" + Guid.NewGuid().ToString("N") + ".sock");
            using Socket listener = Bind(path);
            try
            {
                Assert.IsTrue(new SystemdNotifier(path).Notify("READY=1\nSTATUS=relaying", out string error), error);
                Assert.AreEqual("READY=1\nSTATUS=relaying", Receive(listener));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [TestMethod]
        public void Notify_AbstractSocket_AtSignMeansTheAbstractNamespace()
        {
            if (!OperatingSystem.IsLinux())
            {
                Assert.Inconclusive("abstract sockets are Linux-only");
            }

            string name = "pigeon-notify-" + Guid.NewGuid().ToString("N");
            using Socket listener = Bind("\0" + name);
            Assert.IsTrue(new SystemdNotifier("@" + name).Notify("STOPPING=1", out string error), error);
            Assert.AreEqual("STOPPING=1", Receive(listener));
        }

        [TestMethod]
        public void Notify_NoListener_FalseWithAReason_NoThrow()
        {
            string path = Path.Combine(Path.GetTempPath(), "pigeon-notify-missing-" + Guid.NewGuid().ToString("N") + ".sock");
            Assert.IsFalse(new SystemdNotifier(path).Notify("READY=1", out string error));
            Assert.IsFalse(string.IsNullOrEmpty(error));
        }

        [TestMethod]
        public void JournalStream_InodeOf_ParsesDeviceColonInode()
        {
            Assert.AreEqual("123456", JournalStream.InodeOf("8:123456"));
            Assert.IsNull(JournalStream.InodeOf(null));
            Assert.IsNull(JournalStream.InodeOf(""));
            Assert.IsNull(JournalStream.InodeOf("123456"));
            Assert.IsNull(JournalStream.InodeOf("8:"));
            Assert.IsNull(JournalStream.InodeOf("8:12x"));
        }

        [TestMethod]
        public void ConsoleLog_JournalLines_CarryThePriorityAndNoTimeStamp()
        {
            TextWriter outBefore = Console.Out;
            TextWriter errBefore = Console.Error;
            StringWriter output = new StringWriter();
            StringWriter error = new StringWriter();
            try
            {
                Console.SetOut(output);
                Console.SetError(error);
                Pigeon.Host.ConsoleLog journal = new Pigeon.Host.ConsoleLog(true);
                journal.Info("relay up");
                journal.Warn("port 443 skipped");
                new Pigeon.Host.ConsoleLog().Info("terminal");
            }
            finally
            {
                Console.SetOut(outBefore);
                Console.SetError(errBefore);
            }

            string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual("<6>relay up", lines[0].TrimEnd('\r'));
            StringAssert.Matches(lines[1], new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ terminal"));
            Assert.AreEqual("<4>warning: port 443 skipped", error.ToString().TrimEnd('\r', '\n'));
        }
    }
}
