// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System.Collections;
using Pigeon.Config;

namespace Pigeon.Tests.Support
{
    /// <summary>
    /// An in-memory <see cref="IFileStore"/> that can lose power: every file operation and every
    /// byte written costs one step of a budget; when the budget runs out mid-write the file keeps
    /// only the bytes written so far, and every later write, rename or delete does nothing (and
    /// fails), as on a board whose power was cut. <see cref="PowerOn"/> restores it.
    /// </summary>
    /// <remarks>
    /// Cost model: Write = 1 step to create/truncate the file + 1 per byte; Rename = 1; Delete = 1
    /// (of an existing file); reads are free. A cut "after k steps" therefore falls between any two
    /// file operations and after any number of bytes of a write.
    /// </remarks>
    public class MemoryFileStore : IFileStore
    {
        private readonly object _sync = new object();
        private readonly ArrayList _names = new ArrayList();
        private readonly ArrayList _contents = new ArrayList();
        private int _budget = -1; // -1 = unlimited
        private bool _off;

        /// <summary>Steps spent since the last <see cref="ResetSteps"/>.</summary>
        public int Steps { get; private set; }

        /// <summary>Number of Write calls.</summary>
        public int Writes { get; private set; }

        /// <summary>True when the power is off.</summary>
        public bool IsOff
        {
            get { return _off; }
        }

        /// <summary>The power goes off after <paramref name="steps"/> more steps.</summary>
        public void CutAfter(int steps)
        {
            _budget = steps;
            _off = false;
        }

        /// <summary>Power back on, no cut planned.</summary>
        public void PowerOn()
        {
            _budget = -1;
            _off = false;
        }

        /// <summary>Zeroes <see cref="Steps"/> and <see cref="Writes"/>.</summary>
        public void ResetSteps()
        {
            Steps = 0;
            Writes = 0;
        }

        /// <summary>The stored bytes of a file (the array itself, so a test can damage it), or null.</summary>
        public byte[] Raw(string name)
        {
            lock (_sync)
            {
                int i = _names.IndexOf(name);
                return i < 0 ? null : (byte[])_contents[i];
            }
        }

        /// <summary>Puts a file in place without costing steps.</summary>
        public void Put(string name, byte[] bytes)
        {
            lock (_sync)
            {
                Set(name, bytes);
            }
        }

        /// <summary>Names of the files present, sorted, comma-separated (for messages).</summary>
        public string List()
        {
            lock (_sync)
            {
                string text = "";
                for (int i = 0; i < _names.Count; i++)
                {
                    text = text + (i == 0 ? "" : ",") + (string)_names[i];
                }

                return text;
            }
        }

        /// <inheritdoc />
        public byte[] Read(string name)
        {
            lock (_sync)
            {
                int i = _names.IndexOf(name);
                if (i < 0)
                {
                    return null;
                }

                byte[] stored = (byte[])_contents[i];
                byte[] copy = new byte[stored.Length];
                System.Array.Copy(stored, copy, stored.Length);
                return copy;
            }
        }

        /// <inheritdoc />
        public bool Write(string name, byte[] buffer, int offset, int count)
        {
            lock (_sync)
            {
                Writes++;
                if (!Spend())
                {
                    return false;
                }

                Set(name, new byte[0]);
                int written = 0;
                while (written < count && Spend())
                {
                    written++;
                }

                byte[] bytes = new byte[written];
                System.Array.Copy(buffer, offset, bytes, 0, written);
                Set(name, bytes);
                return written == count;
            }
        }

        /// <inheritdoc />
        public bool Rename(string from, string to)
        {
            lock (_sync)
            {
                int i = _names.IndexOf(from);
                if (i < 0 || _names.IndexOf(to) >= 0 || !Spend())
                {
                    return false;
                }

                _names[i] = to;
                return true;
            }
        }

        /// <inheritdoc />
        public bool Delete(string name)
        {
            lock (_sync)
            {
                int i = _names.IndexOf(name);
                if (i < 0)
                {
                    return true;
                }

                if (!Spend())
                {
                    return false;
                }

                _names.RemoveAt(i);
                _contents.RemoveAt(i);
                return true;
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            lock (_sync)
            {
                return _names.IndexOf(name) >= 0;
            }
        }

        private bool Spend()
        {
            if (_off)
            {
                return false;
            }

            if (_budget == 0)
            {
                _off = true;
                return false;
            }

            if (_budget > 0)
            {
                _budget--;
            }

            Steps++;
            return true;
        }

        private void Set(string name, byte[] bytes)
        {
            int i = _names.IndexOf(name);
            if (i < 0)
            {
                _names.Add(name);
                _contents.Add(bytes);
            }
            else
            {
                _contents[i] = bytes;
            }
        }
    }
}
