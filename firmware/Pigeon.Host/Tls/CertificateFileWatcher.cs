using System;
using System.IO;
using System.Threading;
using Pigeon.Net;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// Reloads relay.tlsCertificateFile / tlsKeyFile when certbot, lego, Caddy or a person replaces
    /// them: every <see cref="Interval"/> it compares each file's signature (the path its links
    /// resolve to, length, modification time; certbot switches symbolic links, the others rename or
    /// rewrite). A change is loaded once the signature has held still for one more look, so a pair
    /// written in two steps is not read half-way. A pair that loads and matches is presented from
    /// the next handshake (sessions under way keep theirs); one that does not is logged with the
    /// reason, once per change, and the certificate in use stays.
    /// </summary>
    public sealed class CertificateFileWatcher : IDisposable
    {
        private readonly string _certificatePath;
        private readonly string _keyPath;
        private readonly CertificateStore _store;
        private readonly ILog _log;
        private readonly object _lock = new object();
        private string _loaded;
        private string _seen;
        private string _refused;
        private Timer _timer;

        /// <summary>Watches the pair <paramref name="store"/> presents now (loaded from these files).</summary>
        public CertificateFileWatcher(string certificatePath, string keyPath, CertificateStore store, ILog log)
        {
            _certificatePath = certificatePath;
            _keyPath = keyPath;
            _store = store;
            _log = log;
            _loaded = Signature();
            _seen = _loaded;
        }

        /// <summary>How often the files are looked at (5 s).</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Why the last change of the files was not taken (null: the files in use are the ones on disk).</summary>
        public string Problem { get; private set; }

        /// <summary>Reloads made so far.</summary>
        public int Reloads { get; private set; }

        /// <summary>Starts looking every <see cref="Interval"/>.</summary>
        public void Start()
        {
            _timer = new Timer(_ => PollQuietly(), null, Interval, Interval);
        }

        /// <summary>
        /// One look (the timer's; tests call it directly): true when a new pair was taken. A change
        /// is taken on the look after the one that saw it, if the files did not move in between.
        /// </summary>
        public bool Poll()
        {
            lock (_lock)
            {
                string now = Signature();
                if (now == _loaded)
                {
                    _seen = now;
                    return false;
                }

                if (now != _seen)
                {
                    _seen = now; // still being written, perhaps: look again next time
                    return false;
                }

                if (now == _refused)
                {
                    return false; // said once already
                }

                TlsIdentity fresh;
                try
                {
                    fresh = TlsIdentity.FromPemFiles(_certificatePath, _keyPath, TlsIdentity.OriginFiles);
                }
                catch (Exception e) when (TlsIdentity.Unusable(e))
                {
                    _refused = now;
                    Problem = "the new files were not taken (" + e.Message + "); still presenting " + _store.Current.Name + " until they change again";
                    _log.Warn("TLS: " + _certificatePath + " and " + _keyPath + " changed but " + Problem);
                    return false;
                }

                TlsIdentity old = _store.Current;
                _store.Use(fresh);
                _loaded = now;
                _refused = null;
                Problem = null;
                Reloads++;
                _log.Info("TLS: reloaded " + _certificatePath + ": " + fresh.Name + ", SHA-256 " + fresh.Fingerprint + ", valid until "
                    + fresh.NotAfter.ToString("yyyy-MM-dd") + " (was " + old.Fingerprint + ")");
                GC.KeepAlive(old); // handshakes under way may still hold it; the collector frees it
                return true;
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _timer?.Dispose();
        }

        // The timer's look: an exception here would end the process, so none leaves it.
        private void PollQuietly()
        {
            try
            {
                Poll();
            }
            catch (Exception e)
            {
                _log.Warn("TLS: looking at " + _certificatePath + " failed (" + e.GetType().Name + ": " + e.Message + "); trying again in " + (int)Interval.TotalSeconds + " s");
            }
        }

        private string Signature()
        {
            return Of(_certificatePath) + "|" + Of(_keyPath);
        }

        private static string Of(string path)
        {
            try
            {
                FileInfo file = new FileInfo(path);
                FileSystemInfo target = file.LinkTarget == null ? null : file.ResolveLinkTarget(true);
                FileInfo real = target as FileInfo ?? file;
                real.Refresh();
                return real.Exists ? real.FullName + ":" + real.Length + ":" + real.LastWriteTimeUtc.Ticks : "missing";
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return "unreadable";
            }
        }
    }
}
