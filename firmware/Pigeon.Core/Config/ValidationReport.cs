using System.Collections;

namespace Pigeon.Config
{
    /// <summary>
    /// Every problem found at once: errors (the config cannot be used) and warnings (it can, but
    /// something deserves a look, such as a key this firmware does not know). ArrayList, not a
    /// generic list: the board's runtime has no generics.
    /// </summary>
    public class ValidationReport
    {
        /// <summary>The path used for problems with the document as a whole.</summary>
        public const string DocumentPath = "(document)";

        private readonly ArrayList _errors = new ArrayList();
        private readonly ArrayList _warnings = new ArrayList();

        /// <summary>Number of errors.</summary>
        public int ErrorCount
        {
            get { return _errors.Count; }
        }

        /// <summary>Number of warnings.</summary>
        public int WarningCount
        {
            get { return _warnings.Count; }
        }

        /// <summary>True when there is no error (warnings allowed).</summary>
        public bool IsValid
        {
            get { return _errors.Count == 0; }
        }

        /// <summary>Error <paramref name="index"/>.</summary>
        public ValidationIssue GetError(int index)
        {
            return (ValidationIssue)_errors[index];
        }

        /// <summary>Warning <paramref name="index"/>.</summary>
        public ValidationIssue GetWarning(int index)
        {
            return (ValidationIssue)_warnings[index];
        }

        /// <summary>Adds an error.</summary>
        public void AddError(string path, string message)
        {
            _errors.Add(new ValidationIssue(path, message));
        }

        /// <summary>Adds a warning.</summary>
        public void AddWarning(string path, string message)
        {
            _warnings.Add(new ValidationIssue(path, message));
        }

        /// <summary>True when some error's path is exactly <paramref name="path"/>.</summary>
        public bool HasErrorAt(string path)
        {
            return HasAt(_errors, path);
        }

        /// <summary>True when some warning's path is exactly <paramref name="path"/>.</summary>
        public bool HasWarningAt(string path)
        {
            return HasAt(_warnings, path);
        }

        /// <summary>
        /// Adds another report's issues to this one, but no error at a path that already has one
        /// here: a value of the wrong type is reported first, and a rule about the same value
        /// would only repeat it (<see cref="ConfigDocument.Check"/>).
        /// </summary>
        public void Merge(ValidationReport other)
        {
            for (int i = 0; i < other._errors.Count; i++)
            {
                ValidationIssue issue = (ValidationIssue)other._errors[i];
                if (!HasErrorAt(issue.Path))
                {
                    _errors.Add(issue);
                }
            }

            for (int i = 0; i < other._warnings.Count; i++)
            {
                _warnings.Add(other._warnings[i]);
            }
        }

        private static bool HasAt(ArrayList issues, string path)
        {
            for (int i = 0; i < issues.Count; i++)
            {
                if (((ValidationIssue)issues[i]).Path == path)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
