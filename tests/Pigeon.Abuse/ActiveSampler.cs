using System;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>Reads the host's active sessions every 100 ms on its own thread and keeps the most seen.</summary>
    public sealed class ActiveSampler : IDisposable
    {
        private readonly Thread _thread;
        private long _max;
        private bool _stop;

        /// <summary>Starts sampling <paramref name="host"/>.</summary>
        public ActiveSampler(PigeonHost host)
        {
            _thread = Harness.Background("active-sampler", () =>
            {
                while (!Volatile.Read(ref _stop))
                {
                    try
                    {
                        long active = host.Counters().Active;
                        long seen;
                        while (active > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, active, seen) != seen)
                        {
                        }
                    }
                    catch (Exception)
                    {
                        // the portal was busy: the next look will do
                    }

                    Thread.Sleep(100);
                }
            });
            _thread.Start();
        }

        /// <summary>The most active sessions seen since the last <see cref="Reset"/>.</summary>
        public long Max => Interlocked.Read(ref _max);

        /// <summary>Starts a new maximum.</summary>
        public void Reset()
        {
            Interlocked.Exchange(ref _max, 0);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Volatile.Write(ref _stop, true);
            _thread.Join(2000);
        }
    }
}
