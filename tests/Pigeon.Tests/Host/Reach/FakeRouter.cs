using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pigeon.Tests.Reach;

namespace Pigeon.Tests.Host.Reach
{
    /// <summary>
    /// A home router on 127.0.0.1 for the tests: an SSDP responder (UDP), the UPnP web server
    /// (device description and the WANIPConnection control URL, SOAP) and a NAT-PMP server
    /// (UDP). Every port is picked by the OS; every behaviour the tests need is a property.
    /// </summary>
    public sealed class FakeRouter : IDisposable
    {
        private readonly UdpClient _ssdp;
        private readonly TcpListener _http;
        private readonly UdpClient _natPmp;
        private readonly List<Thread> _threads = new List<Thread>();
        private readonly object _lock = new object();
        private readonly List<string> _actions = new List<string>();
        private readonly List<string> _bodies = new List<string>();
        private readonly List<byte[]> _natRequests = new List<byte[]>();
        private bool _stopped;

        public FakeRouter()
        {
            _ssdp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            _http = new TcpListener(IPAddress.Loopback, 0);
            _http.Start();
            _natPmp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Description = IgdXml.Standard();
            Start(SsdpLoop);
            Start(HttpLoop);
            Start(NatPmpLoop);
        }

        public int SsdpPort => ((IPEndPoint)_ssdp.Client.LocalEndPoint).Port;

        public int HttpPort => ((IPEndPoint)_http.LocalEndpoint).Port;

        public int NatPmpPort => ((IPEndPoint)_natPmp.Client.LocalEndPoint).Port;

        /// <summary>Answer SSDP searches at all (false = UPnP off).</summary>
        public bool SsdpOn { get; set; } = true;

        /// <summary>The LOCATION sent; null = this router's own description URL.</summary>
        public string SsdpLocation { get; set; }

        /// <summary>The description XML served at /rootDesc.xml.</summary>
        public string Description { get; set; }

        /// <summary>When set, sent instead of a proper description response (hostile routers).</summary>
        public byte[] RawDescriptionResponse { get; set; }

        /// <summary>Wait this long before answering the description request (a router that hangs).</summary>
        public int DescriptionDelayMs { get; set; }

        /// <summary>UPnP error code for AddPortMapping (0 = success).</summary>
        public int AddFault { get; set; }

        /// <summary>Answer 725 to any non-zero lease (an IGD:1 router that takes only permanent mappings).</summary>
        public bool OnlyPermanent { get; set; }

        /// <summary>The text of NewExternalIPAddress.</summary>
        public string ExternalIp { get; set; } = "81.2.69.160";

        /// <summary>Answer NAT-PMP at all.</summary>
        public bool NatPmpOn { get; set; } = true;

        /// <summary>NAT-PMP result code (0 = success).</summary>
        public int NatPmpResult { get; set; }

        /// <summary>NAT-PMP external address.</summary>
        public uint NatPmpAddress { get; set; } = 0x510245A0;

        /// <summary>NAT-PMP external port granted; 0 = the one asked for.</summary>
        public int NatPmpGrantedPort { get; set; }

        /// <summary>Send one stray answer from another port before the real one (must be ignored).</summary>
        public bool NatPmpStrayFirst { get; set; }

        /// <summary>
        /// Speak only PCP (RFC 6887) on port 5351's stand-in: NAT-PMP requests get a version 2
        /// UNSUPP_VERSION answer, MAP requests a MAP answer (ADDRESS_MISMATCH when the client
        /// address in the header is not the packet's source).
        /// </summary>
        public bool PcpOnly { get; set; }

        /// <summary>PCP result code for MAP requests (0 = success).</summary>
        public int PcpResult { get; set; }

        public List<string> Actions
        {
            get
            {
                lock (_lock)
                {
                    return new List<string>(_actions);
                }
            }
        }

        public List<string> Bodies
        {
            get
            {
                lock (_lock)
                {
                    return new List<string>(_bodies);
                }
            }
        }

        public List<byte[]> NatPmpRequests
        {
            get
            {
                lock (_lock)
                {
                    return new List<byte[]>(_natRequests);
                }
            }
        }

        public int Count(string action)
        {
            return Actions.FindAll(a => a == action).Count;
        }

        public void Dispose()
        {
            _stopped = true;
            _ssdp.Close();
            _http.Stop();
            _natPmp.Close();
            foreach (Thread thread in _threads)
            {
                thread.Join(2000);
            }
        }

        private void Start(ThreadStart loop)
        {
            Thread thread = new Thread(loop) { IsBackground = true };
            _threads.Add(thread);
            thread.Start();
        }

        private void SsdpLoop()
        {
            while (!_stopped)
            {
                IPEndPoint from = new IPEndPoint(IPAddress.Any, 0);
                byte[] request;
                try
                {
                    request = _ssdp.Receive(ref from);
                }
                catch (Exception)
                {
                    return;
                }

                string text = Encoding.ASCII.GetString(request);
                lock (_lock)
                {
                    _actions.Add("M-SEARCH");
                }

                if (!SsdpOn || !text.StartsWith("M-SEARCH * HTTP/1.1\r\n", StringComparison.Ordinal) || !text.Contains("ssdp:discover", StringComparison.Ordinal))
                {
                    continue;
                }

                string location = SsdpLocation ?? "http://127.0.0.1:" + HttpPort + "/rootDesc.xml";
                byte[] answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                    + "USN: uuid:fake::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\nSERVER: Fake/1 UPnP/1.1 MiniUPnPd/2.2\r\nLOCATION: " + location + "\r\n\r\n");
                try
                {
                    _ssdp.Send(answer, answer.Length, from);
                }
                catch (Exception)
                {
                    return;
                }
            }
        }

        private void HttpLoop()
        {
            while (!_stopped)
            {
                Socket client;
                try
                {
                    client = _http.AcceptSocket();
                }
                catch (Exception)
                {
                    return;
                }

                try
                {
                    client.ReceiveTimeout = 3000;
                    Serve(client);
                }
                catch (Exception)
                {
                    // the client went away
                }
                finally
                {
                    client.Close();
                }
            }
        }

        private void Serve(Socket client)
        {
            byte[] buffer = new byte[65536];
            int length = 0;
            int headEnd = -1;
            int contentLength = 0;
            while (true)
            {
                int n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
                if (n <= 0)
                {
                    return;
                }

                length += n;
                string sofar = Encoding.ASCII.GetString(buffer, 0, length);
                if (headEnd < 0)
                {
                    headEnd = sofar.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headEnd >= 0)
                    {
                        foreach (string line in sofar.Substring(0, headEnd).Split("\r\n"))
                        {
                            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                            {
                                contentLength = int.Parse(line.Substring(15).Trim());
                            }
                        }
                    }
                }

                if (headEnd >= 0 && length >= headEnd + 4 + contentLength)
                {
                    break;
                }
            }

            string request = Encoding.ASCII.GetString(buffer, 0, length);
            string head = request.Substring(0, headEnd);
            string body = request.Substring(headEnd + 4);
            string requestLine = head.Split("\r\n")[0];
            if (requestLine.StartsWith("GET /rootDesc.xml ", StringComparison.Ordinal))
            {
                lock (_lock)
                {
                    _actions.Add("GET description");
                }

                if (DescriptionDelayMs > 0)
                {
                    Thread.Sleep(DescriptionDelayMs);
                }

                if (RawDescriptionResponse != null)
                {
                    Send(client, RawDescriptionResponse);
                    return;
                }

                Reply(client, 200, Description);
                return;
            }

            string action = null;
            foreach (string line in head.Split("\r\n"))
            {
                if (line.StartsWith("SOAPAction:", StringComparison.OrdinalIgnoreCase))
                {
                    string value = line.Substring(11).Trim().Trim('"');
                    action = value.Substring(value.IndexOf('#') + 1);
                }
            }

            if (!requestLine.StartsWith("POST /ctl/IPConn ", StringComparison.Ordinal) || action == null)
            {
                Reply(client, 404, "not found");
                return;
            }

            lock (_lock)
            {
                _actions.Add(action);
                _bodies.Add(body);
            }

            switch (action)
            {
                case "AddPortMapping":
                    if (OnlyPermanent && !body.Contains("<NewLeaseDuration>0</NewLeaseDuration>", StringComparison.Ordinal))
                    {
                        Reply(client, 500, UpnpSoapTests.Fault(725));
                    }
                    else if (AddFault != 0)
                    {
                        Reply(client, 500, UpnpSoapTests.Fault(AddFault));
                    }
                    else
                    {
                        Reply(client, 200, Response("AddPortMapping", ""));
                    }

                    break;
                case "GetExternalIPAddress":
                    Reply(client, 200, Response("GetExternalIPAddress", "<NewExternalIPAddress>" + ExternalIp + "</NewExternalIPAddress>"));
                    break;
                case "DeletePortMapping":
                    Reply(client, 200, Response("DeletePortMapping", ""));
                    break;
                default:
                    Reply(client, 500, UpnpSoapTests.Fault(401));
                    break;
            }
        }

        private static string Response(string action, string inner)
        {
            return "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
                + "<s:Body><u:" + action + "Response xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">" + inner
                + "</u:" + action + "Response></s:Body></s:Envelope>\r\n";
        }

        private static void Reply(Socket client, int status, string body)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(body);
            string head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nConnection: close\r\nContent-Length: " + bytes.Length + "\r\n\r\n";
            byte[] headBytes = Encoding.ASCII.GetBytes(head);
            byte[] all = new byte[headBytes.Length + bytes.Length];
            Buffer.BlockCopy(headBytes, 0, all, 0, headBytes.Length);
            Buffer.BlockCopy(bytes, 0, all, headBytes.Length, bytes.Length);
            Send(client, all);
        }

        private static void Send(Socket client, byte[] bytes)
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                int n = client.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
                if (n <= 0)
                {
                    return;
                }

                sent += n;
            }
        }

        private void NatPmpLoop()
        {
            while (!_stopped)
            {
                IPEndPoint from = new IPEndPoint(IPAddress.Any, 0);
                byte[] request;
                try
                {
                    request = _natPmp.Receive(ref from);
                }
                catch (Exception)
                {
                    return;
                }

                lock (_lock)
                {
                    _natRequests.Add(request);
                }

                if (!NatPmpOn || request.Length < 2 || (request[0] != 0 && !PcpOnly))
                {
                    continue;
                }

                byte[] answer;
                if (PcpOnly)
                {
                    answer = PcpAnswer(request, from);
                    if (answer == null)
                    {
                        continue;
                    }
                }
                else if (request[1] == 0)
                {
                    answer = new byte[12];
                    answer[1] = 128;
                    answer[3] = (byte)NatPmpResult;
                    Put32(answer, 4, 1000);
                    Put32(answer, 8, NatPmpAddress);
                }
                else if (request[1] == 2 && request.Length >= 12)
                {
                    answer = new byte[16];
                    answer[1] = 130;
                    answer[3] = (byte)NatPmpResult;
                    Put32(answer, 4, 1000);
                    answer[8] = request[4];
                    answer[9] = request[5];
                    int asked = (request[6] << 8) | request[7];
                    int granted = NatPmpGrantedPort != 0 && asked != 0 ? NatPmpGrantedPort : asked;
                    answer[10] = (byte)(granted >> 8);
                    answer[11] = (byte)granted;
                    uint lifetime = ((uint)request[8] << 24) | ((uint)request[9] << 16) | ((uint)request[10] << 8) | request[11];
                    Put32(answer, 12, NatPmpResult == 0 ? lifetime : 0);
                }
                else
                {
                    continue;
                }

                try
                {
                    if (NatPmpStrayFirst)
                    {
                        using (UdpClient stray = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
                        {
                            byte[] wrong = (byte[])answer.Clone();
                            if (wrong.Length >= 60)
                            {
                                Put32(wrong, 56, 0x01010101); // a spoofed PCP external address
                            }
                            else if (wrong.Length >= 12)
                            {
                                Put32(wrong, 8, 0x01010101); // a spoofed address from another port
                            }

                            stray.Send(wrong, wrong.Length, from);
                        }
                    }

                    _natPmp.Send(answer, answer.Length, from);
                }
                catch (Exception)
                {
                    return;
                }
            }
        }

        private byte[] PcpAnswer(byte[] request, IPEndPoint from)
        {
            if (request[0] == 0)
            {
                // RFC 6887 9: a PCP-only server answers NAT-PMP with its version and UNSUPP_VERSION.
                byte[] refusal = new byte[24];
                refusal[0] = 2;
                refusal[1] = (byte)(request[1] | 0x80);
                refusal[3] = 1;
                Put32(refusal, 8, 1000);
                return refusal;
            }

            if (request[0] != 2 || request[1] != 1 || request.Length < 60)
            {
                return null;
            }

            byte[] answer = new byte[60];
            Array.Copy(request, 24, answer, 24, 36); // nonce, protocol, ports: copied (RFC 6887 11.2)
            answer[0] = 2;
            answer[1] = 0x81;
            byte[] source = from.Address.GetAddressBytes();
            bool mismatch = request[18] != 0xFF || request[19] != 0xFF || request[20] != source[0] || request[21] != source[1] || request[22] != source[2] || request[23] != source[3];
            int result = mismatch ? 12 : PcpResult;
            answer[3] = (byte)result;
            uint lifetime = ((uint)request[4] << 24) | ((uint)request[5] << 16) | ((uint)request[6] << 8) | request[7];
            Put32(answer, 4, result == 0 ? lifetime : 30);
            Put32(answer, 8, 1000);
            if (result == 0)
            {
                int inside = (request[40] << 8) | request[41];
                int granted = NatPmpGrantedPort != 0 && lifetime != 0 ? NatPmpGrantedPort : inside;
                answer[42] = (byte)(granted >> 8);
                answer[43] = (byte)granted;
                Array.Clear(answer, 44, 16);
                answer[54] = 0xFF;
                answer[55] = 0xFF;
                Put32(answer, 56, NatPmpAddress);
            }

            return answer;
        }

        private static void Put32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }
    }
}
