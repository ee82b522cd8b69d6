using System;
using System.IO;
using System.Threading;
using Pigeon.Net;
using Pigeon.Portal;
using Pigeon.Relay;
using Pigeon.Counters;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// Feeds the relay's counters into the 24-hour <see cref="DailyTally"/> once a minute, saves
    /// it in the data folder (activity.json, so it survives restarts and `pigeon status` can read
    /// it), writes its line to the log once a day, and gives the status page the line as of now.
    /// Reads the relay only through its public snapshot (<see cref="RelayServer.SnapshotTotal"/>).
    /// </summary>
    public sealed class TallyRecorder : IDailySummary
    {
        /// <summary>How often the counters are sampled and the file rewritten.</summary>
        public const int SampleIntervalMs = 60 * 1000;

        private readonly object _lock = new object();
        private readonly RelayServer _relay;
        private readonly IClock _clock;
        private readonly string _path;
        private readonly ILog _log;
        private readonly DailyTally _tally;
        private readonly long[] _refusedBase;
        private readonly long[] _refusedDelta;
        private long _sessionsBase;
        private long _bytesBase;
        private long _lastLoggedMs;
        private bool _saveWarned;
        private long _allocated;
        private Timer _timer;

        /// <summary>
        /// A recorder over <paramref name="relay"/>'s counters, on <paramref name="wallClock"/>
        /// (ms since 1970; tests move a fake one), keeping its file in <paramref name="folder"/>.
        /// </summary>
        public TallyRecorder(RelayServer relay, IClock wallClock, string folder, ILog log)
        {
            _relay = relay;
            _clock = wallClock;
            _path = Path.Combine(folder, TallyFile.FileName);
            _log = log;
            _tally = new DailyTally(ReasonNames());
            _refusedBase = new long[_tally.ReasonCount];
            _refusedDelta = new long[_tally.ReasonCount];
        }

        /// <summary>
        /// Bytes this recorder has allocated (sampling, saving, the line), so the benchmark can
        /// tell them from the relay's own (Pigeon.Host's status line reports them).
        /// </summary>
        public long AllocatedBytes
        {
            get { return Interlocked.Read(ref _allocated); }
        }

        /// <summary>The tally file's path.</summary>
        public string FilePath
        {
            get { return _path; }
        }

        /// <summary>The refusal reasons counted: the status page's names (<see cref="RefusalReasons.Name"/>), one per <see cref="RefusalReason"/>.</summary>
        public static string[] ReasonNames()
        {
            string[] names = new string[RouteCounters.ReasonCount];
            for (int r = 0; r < names.Length; r++)
            {
                names[r] = RefusalReasons.Name(r);
            }

            return names;
        }

        /// <summary>
        /// Reads the saved tally, if any (a damaged one is reported and left behind). With none,
        /// the first daily line is due 24 hours from now.
        /// </summary>
        public void Load()
        {
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                _lastLoggedMs = now;
                byte[] bytes;
                try
                {
                    bytes = File.Exists(_path) ? File.ReadAllBytes(_path) : null;
                }
                catch (IOException e)
                {
                    _log.Warn("activity: cannot read " + _path + " (" + e.Message + "); counting from now");
                    return;
                }
                catch (UnauthorizedAccessException e)
                {
                    _log.Warn("activity: cannot read " + _path + " (" + e.Message + "); counting from now");
                    return;
                }

                if (bytes == null)
                {
                    return;
                }

                TallyHeader header = TallyFile.Read(bytes, _tally);
                if (header == null)
                {
                    _log.Warn("activity: " + _path + " is not a tally this version reads; counting from now (it is replaced at the next save)");
                    return;
                }

                _lastLoggedMs = header.LastLoggedMs > now ? now : header.LastLoggedMs;
            }
        }

        /// <summary>
        /// Saves at once (so `pigeon status` sees this process from its first second), then
        /// samples every minute until <see cref="Stop"/>.
        /// </summary>
        public void Start()
        {
            Tick();
            _timer = new Timer(_ => Tick(), null, SampleIntervalMs, SampleIntervalMs);
        }

        /// <summary>Stops the timer and saves a last time.</summary>
        public void Stop()
        {
            if (_timer != null)
            {
                _timer.Dispose();
                _timer = null;
            }

            Tick();
        }

        /// <summary>
        /// One minute's work: sample, log the daily line when 24 hours have passed since the last
        /// one (kept across restarts), save. Public so tests can run it on a fake clock.
        /// </summary>
        public void Tick()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                Sample(now);
                if (now < _lastLoggedMs)
                {
                    _lastLoggedMs = now; // the wall clock was set back: restart the day from here
                }
                else if (now - _lastLoggedMs >= DailyTally.WindowMs)
                {
                    _log.Info(_tally.Sum(now).Line());
                    _lastLoggedMs = now;
                }

                Save(now);
            }

            Interlocked.Add(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        /// <inheritdoc />
        public string Line()
        {
            return Sum().Line();
        }

        /// <summary>The totals as of now (the counters sampled first).</summary>
        public TallySum Sum()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            TallySum sum;
            lock (_lock)
            {
                long now = _clock.NowMilliseconds;
                Sample(now);
                sum = _tally.Sum(now);
            }

            Interlocked.Add(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            return sum;
        }

        private void Sample(long now)
        {
            RouteCounters total = _relay.SnapshotTotal();
            long sessions = Delta(Served(total), ref _sessionsBase);
            long bytes = Delta(total.BytesToUpstream + total.BytesToClient, ref _bytesBase);
            for (int r = 0; r < _refusedBase.Length; r++)
            {
                _refusedDelta[r] = Delta(total.Refused((RefusalReason)r), ref _refusedBase[r]);
            }

            _tally.Add(now, sessions, bytes, _refusedDelta);
        }

        /// <summary>
        /// Sessions that got as far as relaying (reached their upstream). Counted when relaying
        /// begins, never derived from Accepted: a session still reading its hello when a sample
        /// is taken must not count as served and then, a moment later, as refused as well.
        /// A flood of junk connections is not "served".
        /// </summary>
        public static long Served(RouteCounters total)
        {
            return total.Relayed;
        }

        /// <summary>
        /// What a counter gained since the last sample. The base only rises: a live session's
        /// bytes can be counted twice for a moment when the session ends during a snapshot,
        /// and a dip after that must not count those bytes again.
        /// </summary>
        private static long Delta(long value, ref long seen)
        {
            if (value <= seen)
            {
                return 0;
            }

            long delta = value - seen;
            seen = value;
            return delta;
        }

        private void Save(long now)
        {
            TallyHeader header = new TallyHeader { Pid = Environment.ProcessId, SavedAtMs = now, LastLoggedMs = _lastLoggedMs };
            try
            {
                OwnerOnlyFile.CreateFolder(Path.GetDirectoryName(_path));
                OwnerOnlyFile.WriteAtomically(_path, TallyFile.Write(_tally, header));
                _saveWarned = false;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                if (!_saveWarned)
                {
                    _log.Warn("activity: cannot save " + _path + " (" + e.Message + "); the 24-hour line will restart from zero after a restart");
                    _saveWarned = true;
                }
            }
        }
    }
}
