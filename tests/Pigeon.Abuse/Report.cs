using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pigeon.Abuse
{
    /// <summary>
    /// What the suite found: one line per check ("ok: ..." or "FAILED: ..."), figures as they are
    /// measured, and at the end one JSON line of every figure and the count line CI reads.
    /// Thread-safe: cases check from several threads.
    /// </summary>
    public sealed class Report
    {
        private readonly object _lock = new object();
        private readonly List<KeyValuePair<string, string>> _figures = new List<KeyValuePair<string, string>>();
        private string _case = "";

        /// <summary>Checks that passed.</summary>
        public int Passed { get; private set; }

        /// <summary>Checks that failed.</summary>
        public int Failed { get; private set; }

        /// <summary>The case now running (prefixes every line and figure name).</summary>
        public void Begin(string name)
        {
            lock (_lock)
            {
                _case = name;
                Console.Out.WriteLine("== " + name);
            }
        }

        /// <summary>Records one check; <paramref name="detail"/> says what was seen either way.</summary>
        public bool Check(string what, bool ok, string detail = null)
        {
            lock (_lock)
            {
                if (ok)
                {
                    Passed++;
                }
                else
                {
                    Failed++;
                }

                Console.Out.WriteLine((ok ? "ok: " : "FAILED: ") + _case + ": " + what + (string.IsNullOrEmpty(detail) ? string.Empty : " (" + detail + ")"));
            }

            return ok;
        }

        /// <summary>A measured figure, printed now and kept for the closing JSON line.</summary>
        public void Figure(string name, double value, string unit)
        {
            string text = double.IsNaN(value) ? "null" : Math.Round(value, 3).ToString(CultureInfo.InvariantCulture);
            lock (_lock)
            {
                string key = _case + "." + name;
                _figures.Add(new KeyValuePair<string, string>(key, text));
                Console.Out.WriteLine("   " + key + " = " + text + " " + unit);
            }
        }

        /// <summary>A line of context (what the host said, say) that is neither a check nor a figure.</summary>
        public void Note(string text)
        {
            lock (_lock)
            {
                Console.Out.WriteLine("   " + text);
            }
        }

        /// <summary>Every figure as one JSON object (the line docs/reliability.md quotes from).</summary>
        public string FiguresJson()
        {
            StringBuilder json = new StringBuilder("{");
            lock (_lock)
            {
                for (int i = 0; i < _figures.Count; i++)
                {
                    json.Append(i == 0 ? "\"" : ",\"").Append(_figures[i].Key).Append("\":").Append(_figures[i].Value);
                }
            }

            return json.Append('}').ToString();
        }
    }
}
