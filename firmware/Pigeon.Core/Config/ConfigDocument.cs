using Pigeon.Text;

namespace Pigeon.Config
{
    /// <summary>
    /// Checks a document's bytes before any JSON parser sees them: the size cap (8 KB; a larger
    /// document is refused unread, so a 1 MB upload cannot exhaust the board's ~100 KB heap), strict
    /// UTF-8, the nesting depth (nanoFramework.Json parses recursively; a deep document would
    /// overflow the board's stack) and strict JSON syntax (<see cref="JsonSyntax"/>). Both codecs
    /// call it first, so both refuse the same inputs with the same messages.
    /// </summary>
    public static class ConfigDocument
    {
        /// <summary>
        /// True when the bytes may be parsed; otherwise adds the reason at "(document)". A UTF-8
        /// byte order mark is allowed (editors on Windows write one); <paramref name="bodyOffset"/>
        /// is where the JSON starts.
        /// </summary>
        public static bool Precheck(byte[] buffer, int offset, int count, ValidationReport report, out int bodyOffset)
        {
            bodyOffset = offset;
            if (buffer == null || count <= 0)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is empty.");
                return false;
            }

            if (count > ConfigDefaults.MaxDocumentBytes)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is " + count.ToString() + " bytes; the most Pigeon accepts is "
                    + ConfigDefaults.MaxDocumentBytes.ToString() + " bytes. It was not read.");
                return false;
            }

            if (count >= 3 && buffer[offset] == 0xEF && buffer[offset + 1] == 0xBB && buffer[offset + 2] == 0xBF)
            {
                bodyOffset = offset + 3;
            }

            int end = offset + count;
            int bad = Utf8.FindInvalid(buffer, bodyOffset, end - bodyOffset);
            if (bad >= 0)
            {
                report.AddError(ValidationReport.DocumentPath, "The config is not UTF-8 text (bad byte at offset "
                    + (bad + bodyOffset - offset).ToString() + "). Save it as UTF-8.");
                return false;
            }

            // Depth scan: brackets outside strings. A string's backslash escapes the next byte.
            int depth = 0;
            bool inString = false;
            for (int i = bodyOffset; i < end; i++)
            {
                byte b = buffer[i];
                if (inString)
                {
                    if (b == (byte)'\\')
                    {
                        i++;
                    }
                    else if (b == (byte)'"')
                    {
                        inString = false;
                    }
                }
                else if (b == (byte)'"')
                {
                    inString = true;
                }
                else if (b == (byte)'{' || b == (byte)'[')
                {
                    depth++;
                    if (depth > ConfigDefaults.MaxDocumentDepth)
                    {
                        report.AddError(ValidationReport.DocumentPath, "The config nests deeper than "
                            + ConfigDefaults.MaxDocumentDepth.ToString() + " levels of { } and [ ]; Pigeon's config never needs that many.");
                        return false;
                    }
                }
                else if (b == (byte)'}' || b == (byte)']')
                {
                    depth--;
                }
            }

            int errorAt;
            string reason;
            if (!JsonSyntax.Check(buffer, bodyOffset, end, out errorAt, out reason))
            {
                report.AddError(ValidationReport.DocumentPath, "The config is not valid JSON (at byte " + (errorAt + bodyOffset - offset + 1).ToString() + "): " + reason + ".");
                return false;
            }

            return true;
        }
    }
}
