// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System.Collections;
using Pigeon.Net;
using Pigeon.Relay;
using Pigeon.Routing;

namespace Pigeon.Tests.Support
{
    /// <summary>
    /// The tests' pump: it carries out the steps of the session's one sequence against a script
    /// instead of sockets (what the client sends, whether connects and handshakes succeed) and
    /// records what the sequence sends and closes. It decides nothing: the sequence is the one
    /// both real pumps run.
    /// </summary>
    public sealed class TestSession : RelaySession
    {
        private readonly ScriptedConnection _client = new ScriptedConnection(0); // what the client sends, then its FIN
        private readonly ArrayList _connects = new ArrayList();
        private readonly byte[] _toUpstream = new byte[8192];
        private readonly byte[] _toClient = new byte[8192];
        private int _upstreamCount;
        private int _clientCount;
        private bool _clientFinished;

        public TestSession(RelayServer relay)
            : base(relay)
        {
            ConnectResult = 1;
            BufferSize = 4096;
            LargestBuffer = 16384;
        }

        /// <summary>The step the session waits on now (what the script could not answer yet).</summary>
        public SessionStep Step { get; private set; }

        public int ClientCloses { get; private set; }

        public int UpstreamCloses { get; private set; }

        /// <summary>What Connect steps answer (1 connected, 0 refused).</summary>
        public int ConnectResult { get; set; }

        /// <summary>True: Run stops at a Connect step, as a connect still under way (answer it with Do).</summary>
        public bool HoldConnects { get; set; }

        /// <summary>True: Run stops at a Handshake step (answer it with Do or Fail).</summary>
        public bool HoldHandshakes { get; set; }

        /// <summary>The first buffer admission gets.</summary>
        public int BufferSize { get; set; }

        /// <summary>The largest buffer admission may grow to (0: none larger than the first).</summary>
        public int LargestBuffer { get; set; }

        /// <summary>How many targets were connected to, in order ("a.b.c.d:port").</summary>
        public int Connects
        {
            get { return _connects.Count; }
        }

        public string ConnectedTo(int index)
        {
            return (string)_connects[index];
        }

        /// <summary>Everything sent upstream (the opening bytes, then the replay).</summary>
        public byte[] SentUpstream
        {
            get { return Copy(_toUpstream, _upstreamCount); }
        }

        /// <summary>Everything sent to the client as ASCII (a decoy page).</summary>
        public string SentClientText
        {
            get { return Bytes.Text(_toClient, 0, _clientCount); }
        }

        public bool ClientShutDown { get; private set; }

        public void Start(Route route, NetAddress client, ulong counted)
        {
            Step = Begin(route, client, 40000, NetAddress.FromIPv4(0x7F000001), route.ListenPort, counted);
        }

        /// <summary>Queues bytes the client sends.</summary>
        public TestSession Sends(byte[] bytes)
        {
            _client.Then(bytes);
            return this;
        }

        public TestSession Sends(string ascii)
        {
            return Sends(Bytes.Ascii(ascii));
        }

        /// <summary>The client finishes sending (its FIN) once the queued bytes are read.</summary>
        public TestSession Finishes()
        {
            _clientFinished = true;
            return this;
        }

        /// <summary>Answers the step the session waits on with <paramref name="result"/>, then runs on.</summary>
        public SessionStep Do(int result)
        {
            Step = Completed(result);
            return Run();
        }

        /// <summary>A held handshake fails with <paramref name="reason"/>.</summary>
        public SessionStep Fail(RefusalReason reason)
        {
            Step = HandshakeFailed(reason);
            return Run();
        }

        /// <summary>
        /// Carries out every step the script can answer; stops at Relay, at Done (having ended the
        /// session), at a read the client has sent nothing for, or at a held step.
        /// </summary>
        public SessionStep Run()
        {
            while (true)
            {
                int result;
                SessionStep step = Step;
                if (step == SessionStep.WaitClient || step == SessionStep.ReadClient)
                {
                    if (!_client.HasMore && !_clientFinished)
                    {
                        return step; // the client is silent
                    }

                    result = step == SessionStep.WaitClient ? 0 : _client.Receive(StepBuffer, StepOffset, StepCount);
                }
                else if (step == SessionStep.Handshake)
                {
                    if (HoldHandshakes)
                    {
                        return step;
                    }

                    result = 1;
                }
                else if (step == SessionStep.Resolve)
                {
                    result = Resolve() ? 1 : 0;
                }
                else if (step == SessionStep.Connect)
                {
                    if (HoldConnects)
                    {
                        return step;
                    }

                    _connects.Add(TargetAddress.ToString() + ":" + TargetPort.ToString());
                    result = ConnectResult;
                }
                else if (step == SessionStep.SendUpstream)
                {
                    System.Array.Copy(StepBuffer, StepOffset, _toUpstream, _upstreamCount, StepCount);
                    _upstreamCount += StepCount;
                    result = 1;
                }
                else if (step == SessionStep.SendClient)
                {
                    System.Array.Copy(StepBuffer, StepOffset, _toClient, _clientCount, StepCount);
                    _clientCount += StepCount;
                    result = 1;
                }
                else if (step == SessionStep.ShutdownClient)
                {
                    ClientShutDown = true;
                    result = 1;
                }
                else if (step == SessionStep.Done)
                {
                    End();
                    Step = SessionStep.Done;
                    return SessionStep.Done;
                }
                else
                {
                    return step; // Relay: the test plays the pumps from here
                }

                Step = Completed(result);
            }
        }

        /// <summary>Admission to relaying as a pump would, for a chat route: the client sends a chat opening.</summary>
        public bool StartRelay()
        {
            if (!_client.HasMore)
            {
                Sends(Bytes.Ascii("WA\u0006\u0005"));
            }

            return Run() == SessionStep.Relay;
        }

        /// <summary>Both pumps stopped: the session ends and gives its place back.</summary>
        public void Finish()
        {
            End();
        }

        protected override void CloseClientIO()
        {
            ClientCloses++;
        }

        protected override void CloseUpstreamIO()
        {
            UpstreamCloses++;
        }

        protected override byte[] RentBuffer(int atLeast)
        {
            int size = atLeast <= BufferSize ? BufferSize : atLeast <= LargestBuffer ? LargestBuffer : 0;
            return size == 0 ? null : new byte[size];
        }

        protected override void ReturnBuffer(byte[] buffer)
        {
        }

        private static byte[] Copy(byte[] from, int count)
        {
            byte[] copy = new byte[count];
            System.Array.Copy(from, copy, count);
            return copy;
        }
    }
}
