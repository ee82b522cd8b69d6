using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// A strict parser of the Prometheus text exposition format 0.0.4 (the rules of
    /// prometheus/common expfmt's text parser, plus a few stricter ones): valid metric and label
    /// names, only \\ \" \n escapes, HELP/TYPE at most once per family and TYPE before its samples,
    /// a family's samples together, no duplicate series, counters never negative, a final newline.
    /// Throws FormatException naming the line on any violation.
    /// </summary>
    public sealed class PromText
    {
        public sealed class Sample
        {
            public string Name;
            public SortedDictionary<string, string> Labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            public double Value;

            public string Key
            {
                get
                {
                    StringBuilder key = new StringBuilder(Name).Append('{');
                    foreach (KeyValuePair<string, string> label in Labels)
                    {
                        key.Append(label.Key).Append("=\"").Append(label.Value).Append("\",");
                    }

                    return key.Append('}').ToString();
                }
            }
        }

        public List<Sample> Samples { get; } = new List<Sample>();

        public Dictionary<string, string> Types { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public Dictionary<string, string> Help { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public static PromText Parse(string text)
        {
            if (text.Length == 0 || text[text.Length - 1] != '\n')
            {
                throw new FormatException("the exposition must end with a line feed");
            }

            PromText result = new PromText();
            HashSet<string> series = new HashSet<string>(StringComparer.Ordinal);
            HashSet<string> closedFamilies = new HashSet<string>(StringComparer.Ordinal);
            string currentFamily = null;
            string[] lines = text.Substring(0, text.Length - 1).Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n];
                string where = "line " + (n + 1) + ": ";
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.IndexOf('\r') >= 0)
                {
                    throw new FormatException(where + "carriage return");
                }

                if (line[0] == '#')
                {
                    string[] parts = line.Split(' ', 4);
                    if (parts.Length >= 3 && (parts[1] == "HELP" || parts[1] == "TYPE"))
                    {
                        string name = parts[2];
                        CheckMetricName(name, where);
                        if (parts[1] == "HELP")
                        {
                            if (result.Help.ContainsKey(name))
                            {
                                throw new FormatException(where + "second HELP for " + name);
                            }

                            string help = parts.Length == 4 ? parts[3] : string.Empty;
                            CheckHelpEscapes(help, where);
                            result.Help[name] = help;
                        }
                        else
                        {
                            if (parts.Length != 4 || Array.IndexOf(new[] { "counter", "gauge", "histogram", "summary", "untyped" }, parts[3]) < 0)
                            {
                                throw new FormatException(where + "bad TYPE line");
                            }

                            if (result.Types.ContainsKey(name))
                            {
                                throw new FormatException(where + "second TYPE for " + name);
                            }

                            if (closedFamilies.Contains(name) || currentFamily == name)
                            {
                                throw new FormatException(where + "TYPE after samples of " + name);
                            }

                            result.Types[name] = parts[3];
                        }
                    }

                    continue;
                }

                Sample sample = ParseSample(line, where);
                if (sample.Name != currentFamily)
                {
                    if (closedFamilies.Contains(sample.Name))
                    {
                        throw new FormatException(where + "samples of " + sample.Name + " are not together");
                    }

                    if (currentFamily != null)
                    {
                        closedFamilies.Add(currentFamily);
                    }

                    currentFamily = sample.Name;
                }

                if (!series.Add(sample.Key))
                {
                    throw new FormatException(where + "duplicate series " + sample.Key);
                }

                if (result.Types.TryGetValue(sample.Name, out string type) && type == "counter" && (sample.Value < 0 || double.IsNaN(sample.Value)))
                {
                    throw new FormatException(where + "negative counter");
                }

                result.Samples.Add(sample);
            }

            return result;
        }

        public double Value(string name, params string[] labels)
        {
            foreach (Sample sample in Samples)
            {
                if (sample.Name != name || sample.Labels.Count != labels.Length / 2)
                {
                    continue;
                }

                bool all = true;
                for (int i = 0; i + 1 < labels.Length; i += 2)
                {
                    all &= sample.Labels.TryGetValue(labels[i], out string v) && v == labels[i + 1];
                }

                if (all)
                {
                    return sample.Value;
                }
            }

            throw new KeyNotFoundException(name + " " + string.Join(",", labels));
        }

        private static Sample ParseSample(string line, string where)
        {
            Sample sample = new Sample();
            int i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ')
            {
                i++;
            }

            sample.Name = line.Substring(0, i);
            CheckMetricName(sample.Name, where);
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (true)
                {
                    if (i < line.Length && line[i] == '}')
                    {
                        i++;
                        break;
                    }

                    int start = i;
                    while (i < line.Length && line[i] != '=')
                    {
                        i++;
                    }

                    string label = line.Substring(start, i - start);
                    CheckLabelName(label, where);
                    if (i + 1 >= line.Length || line[i + 1] != '"')
                    {
                        throw new FormatException(where + "label value not quoted");
                    }

                    i += 2;
                    StringBuilder value = new StringBuilder();
                    while (true)
                    {
                        if (i >= line.Length)
                        {
                            throw new FormatException(where + "unterminated label value");
                        }

                        char c = line[i++];
                        if (c == '"')
                        {
                            break;
                        }

                        if (c == '\\')
                        {
                            char e = i < line.Length ? line[i++] : ' ';
                            value.Append(e == 'n' ? '\n' : e == '\\' ? '\\' : e == '"' ? '"' : throw new FormatException(where + "bad escape \\" + e));
                        }
                        else
                        {
                            value.Append(c);
                        }
                    }

                    if (sample.Labels.ContainsKey(label))
                    {
                        throw new FormatException(where + "label " + label + " twice");
                    }

                    sample.Labels[label] = value.ToString();
                    if (i < line.Length && line[i] == ',')
                    {
                        i++;
                    }
                    else if (i >= line.Length || line[i] != '}')
                    {
                        throw new FormatException(where + "expected , or }");
                    }
                }
            }

            if (i >= line.Length || line[i] != ' ')
            {
                throw new FormatException(where + "expected a space before the value");
            }

            string[] rest = line.Substring(i + 1).Split(' ');
            if (rest.Length < 1 || rest.Length > 2)
            {
                throw new FormatException(where + "expected value [timestamp]");
            }

            string number = rest[0];
            if (number == "+Inf" || number == "Inf")
            {
                sample.Value = double.PositiveInfinity;
            }
            else if (number == "-Inf")
            {
                sample.Value = double.NegativeInfinity;
            }
            else if (number == "NaN")
            {
                sample.Value = double.NaN;
            }
            else if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out sample.Value))
            {
                throw new FormatException(where + "bad value " + number);
            }

            if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new FormatException(where + "bad timestamp");
            }

            return sample;
        }

        private static void CheckMetricName(string name, string where)
        {
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_' || name[0] == ':'))
            {
                throw new FormatException(where + "bad metric name \"" + name + "\"");
            }

            foreach (char c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':'))
                {
                    throw new FormatException(where + "bad metric name \"" + name + "\"");
                }
            }
        }

        private static void CheckLabelName(string name, string where)
        {
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new FormatException(where + "bad label name \"" + name + "\"");
            }

            foreach (char c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    throw new FormatException(where + "bad label name \"" + name + "\"");
                }
            }
        }

        private static void CheckHelpEscapes(string help, string where)
        {
            for (int i = 0; i < help.Length; i++)
            {
                if (help[i] == '\\')
                {
                    if (i + 1 >= help.Length || (help[i + 1] != '\\' && help[i + 1] != 'n'))
                    {
                        throw new FormatException(where + "bad escape in HELP");
                    }

                    i++;
                }
            }
        }
    }
}
