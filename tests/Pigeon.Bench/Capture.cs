using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;

namespace Pigeon.Bench
{
    /// <summary>
    /// Records the ClientHello a real TLS client sends: listens on 127.0.0.1 (a free port), runs
    /// the client command with "{port}" replaced, keeps the first bytes of the first connection
    /// until every TLS record that carries the ClientHello is in, saves them, and stops the client.
    /// </summary>
    public static class Capture
    {
        private const int MaxBytes = 65536;

        /// <summary>capture --out FILE [--timeout S] -- command args ({port} is replaced).</summary>
        public static int Run(string[] args)
        {
            string output = null;
            string sni = null;
            int timeoutSeconds = 30;
            int i = 1;
            for (; i < args.Length; i++)
            {
                if (args[i] == "--out" && i + 1 < args.Length)
                {
                    output = args[++i];
                }
                else if (args[i] == "--sni" && i + 1 < args.Length)
                {
                    sni = args[++i];
                }
                else if (args[i] == "--timeout" && i + 1 < args.Length)
                {
                    timeoutSeconds = int.Parse(args[++i]);
                }
                else if (args[i] == "--")
                {
                    i++;
                    break;
                }
                else
                {
                    Console.Error.WriteLine("capture: unknown option " + args[i]);
                    return 2;
                }
            }

            if (output == null || i >= args.Length)
            {
                Console.Error.WriteLine("usage: capture --out FILE [--sni NAME] [--timeout S] -- command args ({port} is replaced)");
                return 2;
            }

            using Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(16);
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;

            ProcessStartInfo start = new ProcessStartInfo(args[i]);
            for (int j = i + 1; j < args.Length; j++)
            {
                start.ArgumentList.Add(args[j].Replace("{port}", port.ToString()));
            }

            start.RedirectStandardInput = true; // openssl s_client waits on stdin: give it EOF
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            using Process client = Process.Start(start);
            client.StandardInput.Close();
            client.OutputDataReceived += (s, e) => { };
            client.ErrorDataReceived += (s, e) => { };
            client.BeginOutputReadLine();
            client.BeginErrorReadLine();

            byte[] hello = null;
            string error = null;
            try
            {
                hello = AcceptHello(listener, sni, TimeSpan.FromSeconds(timeoutSeconds), out error);
            }
            finally
            {
                try
                {
                    client.Kill(true);
                }
                catch (InvalidOperationException)
                {
                    // already exited
                }

                client.WaitForExit(5000);
            }

            if (hello == null)
            {
                Console.Error.WriteLine("capture: " + error);
                return 1;
            }

            string folder = Path.GetDirectoryName(Path.GetFullPath(output));
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(output, hello);
            Console.Out.WriteLine("captured " + hello.Length + " bytes (" + Records(hello) + " record(s)) -> " + output);
            return 0;
        }

        /// <summary>Runs a .NET SslStream handshake against 127.0.0.1:port with the given SNI (the capture's client).</summary>
        public static int SslStreamClient(string[] args)
        {
            int port = int.Parse(args[1]);
            string sni = args[2];
            try
            {
                using TcpClient tcp = new TcpClient();
                tcp.Connect(IPAddress.Loopback, port);
                using SslStream tls = new SslStream(tcp.GetStream(), false, (sender, certificate, chain, errors) => true);
                SslClientAuthenticationOptions options = new SslClientAuthenticationOptions();
                options.TargetHost = sni;
                tls.AuthenticateAsClient(options);
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is System.Security.Authentication.AuthenticationException)
            {
                // The capture listener hangs up once it has the hello: expected.
            }

            return 0;
        }

        private static byte[] AcceptHello(Socket listener, string sni, TimeSpan timeout, out string error)
        {
            error = null;
            DateTime deadline = DateTime.UtcNow + timeout;
            if (!listener.Poll((int)Math.Max(1, timeout.TotalMilliseconds) * 1000, SelectMode.SelectRead))
            {
                error = "no connection within " + timeout.TotalSeconds + " s";
                return null;
            }

            while (true)
            {
                int left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
                if (left <= 0 || !listener.Poll(left * 1000, SelectMode.SelectRead))
                {
                    error = error ?? "no connection within " + timeout.TotalSeconds + " s";
                    return null;
                }

                using Socket socket = listener.Accept();
                byte[] hello = ReadHello(socket, deadline, out error);
                if (hello != null)
                {
                    string name = ServerName(hello);
                    if (sni == null || name == sni)
                    {
                        return hello;
                    }

                    error = "a hello for " + (name ?? "no name") + ", not " + sni; // a browser's background request
                }

                // A browser may open other connections first (or in parallel): say so, wait for the next.
                Console.Error.WriteLine("capture: skipped a connection: " + error);
            }
        }

        private static byte[] ReadHello(Socket socket, DateTime deadline, out string error)
        {
            error = null;
            byte[] buffer = new byte[MaxBytes];
            int count = 0;
            while (true)
            {
                int complete = HelloEnd(buffer, count, out string bad);
                if (bad != null)
                {
                    error = bad + " (first bytes: " + Convert.ToHexString(buffer, 0, Math.Min(count, 32)) + ")";
                    return null;
                }

                if (complete > 0)
                {
                    byte[] hello = new byte[complete];
                    Array.Copy(buffer, hello, complete);
                    return hello;
                }

                int left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
                if (left <= 0 || count == buffer.Length)
                {
                    error = "incomplete hello after " + count + " bytes";
                    return null;
                }

                socket.ReceiveTimeout = left;
                int n;
                try
                {
                    n = socket.Receive(buffer, count, buffer.Length - count, SocketFlags.None);
                }
                catch (SocketException e)
                {
                    error = "receive failed after " + count + " bytes: " + e.SocketErrorCode;
                    return null;
                }

                if (n <= 0)
                {
                    error = "client closed after " + count + " bytes";
                    return null;
                }

                count += n;
            }
        }

        /// <summary>
        /// Bytes of the whole records that carry the ClientHello handshake message, or 0 while
        /// more are needed. Independent of Pigeon's reader on purpose: the capture must not
        /// depend on the code it tests.
        /// </summary>
        internal static int HelloEnd(byte[] buffer, int count, out string error)
        {
            error = null;
            int pos = 0;
            int handshakeBytes = 0;
            int needed = -1;
            byte[] header = new byte[4];
            while (pos + 5 <= count)
            {
                if (buffer[pos] != 0x16)
                {
                    error = "not a TLS handshake record at offset " + pos;
                    return 0;
                }

                int length = (buffer[pos + 3] << 8) | buffer[pos + 4];
                if (pos + 5 + length > count)
                {
                    return 0;
                }

                for (int k = 0; k < length && handshakeBytes + k < 4; k++)
                {
                    header[handshakeBytes + k] = buffer[pos + 5 + k];
                }

                handshakeBytes += length;
                pos += 5 + length;
                if (needed < 0 && handshakeBytes >= 4)
                {
                    if (header[0] != 1)
                    {
                        error = "first handshake message is not a ClientHello";
                        return 0;
                    }

                    needed = 4 + ((header[1] << 16) | (header[2] << 8) | header[3]);
                }

                if (needed > 0 && handshakeBytes >= needed)
                {
                    return pos;
                }
            }

            return 0;
        }

        /// <summary>The SNI host name of a complete hello (records joined), or null.</summary>
        internal static string ServerName(byte[] records)
        {
            byte[] hs = new byte[records.Length];
            int n = 0;
            for (int pos = 0; pos + 5 <= records.Length;)
            {
                int length = (records[pos + 3] << 8) | records[pos + 4];
                Array.Copy(records, pos + 5, hs, n, length);
                n += length;
                pos += 5 + length;
            }

            int p = 4 + 2 + 32;
            p += 1 + hs[p];
            p += 2 + ((hs[p] << 8) | hs[p + 1]);
            p += 1 + hs[p];
            int end = p + 2 + ((hs[p] << 8) | hs[p + 1]);
            p += 2;
            while (p + 4 <= end && end <= n)
            {
                int type = (hs[p] << 8) | hs[p + 1];
                int length = (hs[p + 2] << 8) | hs[p + 3];
                if (type == 0 && length >= 5)
                {
                    int nameLength = (hs[p + 7] << 8) | hs[p + 8];
                    return System.Text.Encoding.ASCII.GetString(hs, p + 9, nameLength);
                }

                p += 4 + length;
            }

            return null;
        }

        private static int Records(byte[] hello)
        {
            int records = 0;
            for (int pos = 0; pos + 5 <= hello.Length; pos += 5 + ((hello[pos + 3] << 8) | hello[pos + 4]))
            {
                records++;
            }

            return records;
        }
    }
}
