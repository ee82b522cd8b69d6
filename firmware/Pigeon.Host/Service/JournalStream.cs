using System;
using System.IO;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// Whether standard output goes to systemd's journal: systemd sets $JOURNAL_STREAM to
    /// "device:inode" of the stream it connected, and a process may inherit the variable while
    /// its output goes elsewhere (a shell started from the service), so the inode of file
    /// descriptor 1 must match too (systemd.exec(5), "$JOURNAL_STREAM").
    /// </summary>
    public static class JournalStream
    {
        /// <summary>True when standard output is the journal stream named by $JOURNAL_STREAM.</summary>
        public static bool StandardOutputIsJournal()
        {
            string inode = InodeOf(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));
            if (inode == null)
            {
                return false;
            }

            try
            {
                // /proc/self/fd/1 of a socket reads "socket:[INODE]".
                FileSystemInfo target = new FileInfo("/proc/self/fd/1");
                string link = target.LinkTarget;
                return link != null && link == "socket:[" + inode + "]";
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>The inode part of a "device:inode" value, or null when it is not one.</summary>
        public static string InodeOf(string journalStream)
        {
            if (string.IsNullOrEmpty(journalStream))
            {
                return null;
            }

            int colon = journalStream.IndexOf(':');
            if (colon <= 0 || colon == journalStream.Length - 1)
            {
                return null;
            }

            string inode = journalStream.Substring(colon + 1);
            for (int i = 0; i < inode.Length; i++)
            {
                if (inode[i] < '0' || inode[i] > '9')
                {
                    return null;
                }
            }

            return inode;
        }
    }
}
