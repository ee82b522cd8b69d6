using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Junk against the captive DNS responder (Pigeon.Host --dns-port): a fixed list of malformed
    /// queries that must be dropped or answered by the rule (docs/portal.md, captive DNS), then
    /// seeded garbage and mutations of real queries. After every packet a marker query follows
    /// and must be answered right, so a responder that stalls, dies or answers out of turn is
    /// seen at once; every answer to junk must be a well-formed reply to that very packet.
    /// </summary>
    public static class DnsCase
    {
        private const ushort MarkerId = 0xABCD;

        /// <summary>Runs the case.</summary>
        public static void Run(Report report, Scale scale, int seed)
        {
            using PigeonHost host = new PigeonHost("dns", Configs.Relay(4, 0, 0, 2, Configs.Chat("chat", Loopback.FreePort(), 9)), dns: true);
            host.Start();
            using Socket udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            udp.Connect(new IPEndPoint(IPAddress.Loopback, host.DnsPort));
            int files = host.OpenNonFiles();

            byte[] a = Query(0x1234, "Connectivity.Example.COM", 1, 1);
            List<byte[]> answers = Exchange(udp, a);
            report.Check("an A query gets 127.0.0.1 with the name as asked", answers != null && answers.Count == 1 && IsAddressAnswer(answers[0], a),
                answers == null ? "no marker answer" : answers.Count + " answers");

            int wrong = 0;
            string firstWrong = null;
            foreach ((string name, byte[] packet, bool answered) in Fixed(seed))
            {
                List<byte[]> got = Exchange(udp, packet);
                bool ok = got != null && (answered ? got.Count == 1 && IsReplyTo(got[0], packet) : got.Count == 0);
                if (!ok)
                {
                    wrong++;
                    string seen = got == null ? "the responder stopped answering" : got.Count + " answers" + (got.Count > 0 ? " (" + Convert.ToHexString(got[0], 0, Math.Min(32, got[0].Length)) + ")" : string.Empty);
                    firstWrong ??= name + ": " + seen;
                    report.Note("DNS \"" + name + "\": " + seen + ", expected " + (answered ? "one reply" : "no reply"));
                }
            }

            report.Check("each malformed query of the fixed list was dropped or answered by the rule", wrong == 0, firstWrong);

            Random random = new Random(seed);
            int bad = 0;
            int replied = 0;
            string firstBad = null;
            Stopwatch watch = Stopwatch.StartNew();
            for (int i = 0; i < scale.JunkDns; i++)
            {
                byte[] junk = Junk(random);
                List<byte[]> got = Exchange(udp, junk);
                if (got == null)
                {
                    bad++;
                    firstBad ??= "packet " + i + " (" + Convert.ToHexString(junk, 0, Math.Min(40, junk.Length)) + "): the responder stopped answering";
                    break;
                }

                replied += got.Count;
                if (got.Count > 1 || (got.Count == 1 && !IsReplyTo(got[0], junk)))
                {
                    bad++;
                    firstBad ??= "packet " + i + " (" + Convert.ToHexString(junk, 0, Math.Min(40, junk.Length)) + "): " + got.Count + " replies, first "
                        + Convert.ToHexString(got[0], 0, Math.Min(40, got[0].Length));
                }
            }

            report.Figure("junk_packets", scale.JunkDns, "packets (" + Math.Round(scale.JunkDns / watch.Elapsed.TotalSeconds) + "/s with a marker query after each), " + replied + " answered");
            report.Check("every junk packet was dropped or got one well-formed reply to it (ID, QR, at most 512 bytes)", bad == 0, firstBad);
            answers = Exchange(udp, a);
            report.Check("the responder still answers right after the junk", answers != null && answers.Count == 1 && IsAddressAnswer(answers[0], a));
            report.Check("no descriptor left behind (sockets, pipes and the like)", host.OpenNonFiles() <= files, files + " before, " + host.OpenNonFiles() + " after");
            FloodCase.CheckLog(report, host);
        }

        // Sends the packet, then the marker; returns the replies that came before the marker's
        // (null when the marker got no right answer within 3 s).
        private static List<byte[]> Exchange(Socket udp, byte[] packet)
        {
            udp.Send(packet);
            byte[] marker = Query(MarkerId, "marker.example", 1, 1);
            udp.Send(marker);
            List<byte[]> before = new List<byte[]>();
            byte[] buffer = new byte[4096];
            Stopwatch watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 3000)
            {
                if (!udp.Poll((int)(3000 - watch.ElapsedMilliseconds) * 1000, SelectMode.SelectRead))
                {
                    return null;
                }

                int n;
                try
                {
                    n = udp.Receive(buffer);
                }
                catch (SocketException)
                {
                    return null; // ICMP port unreachable: the responder is gone
                }

                byte[] reply = buffer.AsSpan(0, n).ToArray();
                if (n >= 2 && reply[0] == (MarkerId >> 8) && reply[1] == (MarkerId & 0xFF) && IsAddressAnswer(reply, marker))
                {
                    return before;
                }

                before.Add(reply);
            }

            return null;
        }

        // A reply to this very packet: its ID, QR set, a known opcode echoed, at most 512 bytes.
        private static bool IsReplyTo(byte[] reply, byte[] query)
        {
            return reply.Length >= 12 && reply.Length <= 512 && query.Length >= 2 && reply[0] == query[0] && reply[1] == query[1]
                && (reply[2] & 0x80) != 0 && (reply[2] & 0x78) == (query[2] & 0x78);
        }

        // An answer carrying 127.0.0.1 for the question exactly as asked.
        private static bool IsAddressAnswer(byte[] reply, byte[] query)
        {
            int questionEnd = query.Length;
            return IsReplyTo(reply, query) && reply.Length == questionEnd + 16
                && reply.AsSpan(12, questionEnd - 12).SequenceEqual(query.AsSpan(12, questionEnd - 12))
                && reply[7] == 1 && reply[^4] == 127 && reply[^3] == 0 && reply[^2] == 0 && reply[^1] == 1;
        }

        private static List<(string Name, byte[] Packet, bool Answered)> Fixed(int seed)
        {
            byte[] header = { 0x22, 0x22, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };

            // Seeded junk answers by the same rule as any datagram: a query (QR clear) with an opcode
            // other than QUERY gets a header-only NOTIMP, anything else is dropped (QDCOUNT is made
            // never 1, so a QUERY's counts are bad whatever the seed).
            byte[] junk = Mutator.Junk(new Random(seed), 1400);
            junk[5] = 2;
            bool junkAnswered = (junk[2] & 0x80) == 0 && (junk[2] & 0x78) != 0;
            return new List<(string, byte[], bool)>
            {
                ("AAAA (an empty NOERROR)", Query(0x1111, "example.com", 28, 1), true),
                ("class CH (REFUSED)", Query(0x1112, "version.bind", 16, 3), true),
                ("opcode STATUS (NOTIMP)", Opcode(Query(0x1113, "example.com", 1, 1), 2), true),
                ("a name that is a pointer into the header (\\xc0\\x00)", Mutator.Cat(header, new byte[] { 0xC0, 0x00, 0, 1, 0, 1 }), false),
                ("ID 0000 and a name pointing at it (read as the root name)", Mutator.Cat(new byte[] { 0, 0 }, header.AsSpan(2).ToArray(), new byte[] { 0xC0, 0x00, 0, 1, 0, 1 }), false),
                ("a name pointing at the header's second byte", Mutator.Cat(new byte[] { 0x22, 0, 1, 0 }, header.AsSpan(4).ToArray(), new byte[] { 0xC0, 0x01, 0, 1, 0, 1 }), false),
                ("a pointer to itself", Mutator.Cat(header, new byte[] { 0xC0, 0x0C, 0, 1, 0, 1 }), false),
                ("a pointer forward", Mutator.Cat(header, new byte[] { 0xC0, 0x20, 0, 1, 0, 1 }), false),
                ("a pointer loop", Mutator.Cat(header, new byte[] { 1, (byte)'a', 0xC0, 0x0E, 0, 1, 0, 1 }), false),
                ("a label of 64", Mutator.Cat(header, new byte[] { 64 }, new byte[64], new byte[] { 0, 0, 1, 0, 1 }), false),
                ("a name of 300 octets", Mutator.Cat(header, Labels(30, 9), new byte[] { 0, 0, 1, 0, 1 }), false),
                ("label type 0x40", Mutator.Cat(header, new byte[] { 0x41, (byte)'a', 0, 0, 1, 0, 1 }), false),
                ("QR set (a reply, not a query)", Flags(Query(0x1114, "example.com", 1, 1), 0x81), false),
                ("QDCOUNT 2", Count(Query(0x1115, "example.com", 1, 1), 4, 2), false),
                ("QDCOUNT 0", Count(Query(0x1116, "example.com", 1, 1), 4, 0), false),
                ("ANCOUNT 1", Count(Query(0x1117, "example.com", 1, 1), 6, 1), false),
                ("ARCOUNT 5", Count(Query(0x1118, "example.com", 1, 1), 10, 5), false),
                ("a header alone", Count(header, 4, 1), false),
                ("5 bytes", new byte[] { 1, 2, 3, 4, 5 }, false),
                ("an empty datagram", Array.Empty<byte>(), false),
                ("the question cut short", Query(0x1119, "example.com", 1, 1).AsSpan(0, 20).ToArray(), false),
                ("a 1400-byte datagram of junk", junk, junkAnswered),
            };
        }

        private static byte[] Junk(Random random)
        {
            byte[] packet;
            int kind = random.Next(3);
            if (kind == 0)
            {
                packet = Mutator.Junk(random, random.Next(600)); // garbage of any length
            }
            else
            {
                // A real query, mutated: bytes flipped, inserted, cut; or the counts and a pointer made up.
                List<byte> bytes = new List<byte>(Query((ushort)random.Next(65536), "q" + random.Next(100000) + ".example.org", (ushort)(random.Next(4) == 0 ? random.Next(256) : 1), 1));
                if (kind == 1)
                {
                    bytes = new List<byte>(Mutator.Edit(bytes.ToArray(), random, 1 + random.Next(4), new[] { new byte[] { 0xC0, 0x0C }, new byte[] { 0 }, new byte[] { 63 } }));
                }
                else
                {
                    bytes[2] = (byte)random.Next(256);
                    bytes[5] = (byte)random.Next(3);
                    bytes[11] = (byte)random.Next(3);
                    int at = 12 + random.Next(bytes.Count - 12);
                    bytes[at] = (byte)(0xC0 | random.Next(4));
                    if (at + 1 < bytes.Count)
                    {
                        bytes[at + 1] = (byte)random.Next(64);
                    }
                }

                packet = bytes.ToArray();
            }

            if (packet.Length >= 2 && packet[0] == (MarkerId >> 8) && packet[1] == (MarkerId & 0xFF))
            {
                packet[0] ^= 0xFF; // never the marker's ID
            }

            return packet;
        }

        private static byte[] Query(ushort id, string name, ushort type, ushort cls)
        {
            List<byte> q = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
            foreach (string label in name.Split('.'))
            {
                q.Add((byte)label.Length);
                q.AddRange(Encoding.ASCII.GetBytes(label));
            }

            q.Add(0);
            q.Add((byte)(type >> 8));
            q.Add((byte)type);
            q.Add((byte)(cls >> 8));
            q.Add((byte)cls);
            return q.ToArray();
        }

        private static byte[] Opcode(byte[] query, int opcode)
        {
            query[2] = (byte)((query[2] & 0x87) | (opcode << 3));
            return query;
        }

        private static byte[] Flags(byte[] query, byte flags)
        {
            query[2] = flags;
            return query;
        }

        private static byte[] Count(byte[] query, int at, int value)
        {
            byte[] copy = (byte[])query.Clone();
            copy[at] = (byte)(value >> 8);
            copy[at + 1] = (byte)value;
            return copy;
        }

        private static byte[] Labels(int count, int length)
        {
            List<byte> name = new List<byte>();
            for (int i = 0; i < count; i++)
            {
                name.Add((byte)length);
                name.AddRange(Encoding.ASCII.GetBytes(new string('x', length)));
            }

            return name.ToArray();
        }
    }
}
