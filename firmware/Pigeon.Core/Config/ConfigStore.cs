using System;
using Pigeon.Text;

namespace Pigeon.Config
{
    /// <summary>
    /// The config on flash (or in a host's data folder), safe against power cuts at any byte.
    /// </summary>
    /// <remarks>
    /// Layout (name = "config.json" by default):
    /// <code>
    ///   config.json       the current copy: JSON + checksum seal (see ConfigSeal)
    ///   config.json.bak   the previous good copy
    ///   config.json.new   only during a save: the next copy, complete and flushed before the switch
    ///
    /// Save(new):                         files after the step          a cut here loads
    ///   1. write + flush .new            cur=old  .new=part/new  bak   old (cur)
    ///   2. delete .bak                   cur=old  .new=new              old (cur)
    ///   3. rename cur -> .bak            .new=new .bak=old              new (.new, switch finished)
    ///   4. rename .new -> cur            cur=new  .bak=old              new
    /// (when cur is damaged, step 2-3 become "delete cur": the good .bak stays)
    ///
    /// Load: the first usable of cur, .new, .bak; a .new must carry a valid seal (it is only ever
    /// written by step 1); a found .new is renamed to cur at once, so a later save cannot
    /// overwrite the only copy of the current config. Nothing usable: defaults, setup mode.
    /// </code>
    /// A copy is usable when its seal verifies (or it has none: written by hand; or, with
    /// <see cref="HandEdits"/>, it no longer matches: edited by hand), it is valid UTF-8 JSON under
    /// 8 KB, its schema is known and it passes <see cref="ConfigValidator"/>.
    /// A save writes only when the bytes differ from the current copy (flash wears). One lock
    /// covers every operation, so concurrent saves and loads never see a half-switched state.
    /// </remarks>
    public class ConfigStore
    {
        /// <summary>The default file name.</summary>
        public const string DefaultFileName = "config.json";

        private readonly object _sync = new object();
        private readonly IFileStore _files;
        private readonly bool _device;
        private readonly string _name;
        private readonly string _backup;
        private readonly string _pending;
        private PigeonConfig _current;
        private byte[] _currentDocument; // cur's JSON (unsealed) when cur holds exactly the current config in stored form; null = write on next save
        private bool _currentFileGood; // cur is a usable copy (keep it as the backup on the next save)
        private bool _currentInPending; // the config in use lives only in .new (its switch could not be finished)

        /// <summary>A store of "config.json" in <paramref name="files"/>.</summary>
        public ConfigStore(IFileStore files, bool device)
            : this(files, device, DefaultFileName)
        {
        }

        /// <summary>A store of <paramref name="fileName"/> (with ".bak" and ".new" beside it).</summary>
        public ConfigStore(IFileStore files, bool device, string fileName)
        {
            _files = files;
            _device = device;
            _name = fileName;
            _backup = fileName + ".bak";
            _pending = fileName + ".new";
            _current = ConfigDefaults.Create(device);
        }

        /// <summary>
        /// True on a host, where people edit the file: a copy whose checksum no longer matches its
        /// content is taken as edited by hand, and is the operator's intent when it reads and
        /// validates (used, <see cref="ConfigLoadResult.EditedByHand"/>); refused with its own
        /// errors when it does not (<see cref="ConfigLoadResult.PrimaryDamaged"/> stays false). False
        /// (the default; the board, where nobody edits the flash): such a copy is damaged, a torn
        /// write or a flipped bit, and the previous copy is used. A pending copy (.new) must carry a
        /// valid checksum either way: only a save writes it.
        /// </summary>
        public bool HandEdits { get; set; }

        /// <summary>The main file's name.</summary>
        public string FileName
        {
            get { return _name; }
        }

        /// <summary>The previous copy's name.</summary>
        public string BackupFileName
        {
            get { return _backup; }
        }

        /// <summary>The in-flight copy's name.</summary>
        public string PendingFileName
        {
            get { return _pending; }
        }

        /// <summary>
        /// The config in use: a private copy, so changing it changes nothing until
        /// <see cref="Save"/>. (Defaults before the first <see cref="Load"/>.)
        /// </summary>
        public PigeonConfig Current
        {
            get
            {
                lock (_sync)
                {
                    return ConfigMapper.Copy(_current, _device);
                }
            }
        }

        /// <summary>Loads the newest usable copy (see the class remarks). Never throws.</summary>
        public ConfigLoadResult Load()
        {
            lock (_sync)
            {
                ConfigLoadResult result = new ConfigLoadResult();
                bool anyFile = false;
                string reasons = "";
                string[] names = new string[] { _name, _pending, _backup };
                ConfigSource[] sources = new ConfigSource[] { ConfigSource.Primary, ConfigSource.Pending, ConfigSource.Backup };
                for (int i = 0; i < names.Length; i++)
                {
                    byte[] file = SafeRead(names[i]);
                    if (file == null)
                    {
                        continue;
                    }

                    anyFile = true;
                    ValidationReport report = new ValidationReport();
                    byte[] document;
                    int fromVersion;
                    bool damaged;
                    bool edited;
                    PigeonConfig config = Decode(file, _device, HandEdits, i == 1, report, out document, out fromVersion, out damaged, out edited);
                    if (config == null)
                    {
                        if (i == 0)
                        {
                            result.PrimaryRejected = true;
                            result.PrimaryDamaged = damaged;
                        }

                        reasons = Join(reasons, names[i] + " " + Summary(report));
                        if (result.RejectedReport.ErrorCount == 0)
                        {
                            result.RejectedReport = report;
                        }

                        continue;
                    }

                    bool inCur = sources[i] == ConfigSource.Primary;
                    if (sources[i] == ConfigSource.Pending)
                    {
                        // Finish the interrupted switch so the next save cannot overwrite the only current copy.
                        inCur = SafeDelete(_name) && SafeRename(_pending, _name);
                    }

                    result.Config = config;
                    result.Source = sources[i];
                    result.FileUsed = inCur ? _name : names[i];
                    result.MigratedFrom = fromVersion;
                    result.EditedByHand = edited;
                    result.Report = report;
                    result.FellBack = reasons.Length > 0;
                    result.FallbackReason = reasons.Length > 0 ? reasons + "; using " + names[i] : "";
                    _current = config;
                    _currentInPending = sources[i] == ConfigSource.Pending && !inCur;
                    _currentFileGood = inCur;
                    _currentDocument = inCur ? document : null;
                    return result;
                }

                result.Config = ConfigDefaults.Create(_device);
                result.Source = ConfigSource.Defaults;
                result.FirstStart = !anyFile;
                result.FellBack = anyFile;
                result.FallbackReason = anyFile ? reasons + "; using the defaults (setup mode)" : "";
                _current = result.Config;
                _currentDocument = null;
                _currentFileGood = false;
                _currentInPending = false;
                return result;
            }
        }

        /// <summary>
        /// Validates <paramref name="config"/> and, when <paramref name="report"/> then holds no
        /// error (a caller's own findings count: the portal's come back together with the
        /// validator's) and the config differs from the current one, stores it (see the class
        /// remarks). False with the errors in <paramref name="report"/> when it is invalid or the
        /// storage failed; the last good copy is kept either way. Never throws.
        /// </summary>
        public bool Save(PigeonConfig config, ValidationReport report)
        {
            ConfigValidator.Validate(config, _device, report);
            if (report.ErrorCount > 0)
            {
                return false;
            }

            byte[] document;
            try
            {
                document = ConfigDocument.Write(config);
            }
            catch (Exception)
            {
                report.AddError(ValidationReport.DocumentPath, "The config could not be written as JSON.");
                return false;
            }

            if (document.Length > ConfigDefaults.MaxDocumentBytes - 64)
            {
                report.AddError(ValidationReport.DocumentPath, $"The config would be {document.Length} bytes; the most Pigeon stores is {ConfigDefaults.MaxDocumentBytes - 64}. Remove some routes or unknown keys.");
                return false;
            }

            lock (_sync)
            {
                if (_currentDocument != null && FixedTime.Equal(_currentDocument, document))
                {
                    return true; // nothing changed: no flash write
                }

                if (!Replace(ConfigSeal.Seal(document), report))
                {
                    // Whatever step failed, cur may no longer be the good copy: re-check it on the next save.
                    byte[] onDisk;
                    _currentFileGood = ConfigSeal.Open(SafeRead(_name), out onDisk) == ConfigSealResult.Verified && _currentDocument != null && FixedTime.Equal(onDisk, _currentDocument);
                    _currentDocument = _currentFileGood ? _currentDocument : null;
                    return false;
                }

                _currentDocument = document;
                _currentFileGood = true;
                ValidationReport ignored = new ValidationReport();
                int fromVersion;
                PigeonConfig stored = ConfigDocument.Read(document, 0, document.Length, _device, ignored, out fromVersion);
                _current = stored ?? ConfigMapper.Copy(config, _device);
                return true;
            }
        }

        /// <summary>
        /// Factory reset: every copy is replaced by a fresh default config (no Wi-Fi, no admin
        /// password, no dynamic DNS secret), so the device starts in setup mode. Never throws.
        /// </summary>
        /// <remarks>
        /// The old files are deleted through the file system; flash blocks that held them are
        /// reused later, not wiped (see docs/config.md, "Factory reset").
        /// </remarks>
        public void FactoryReset()
        {
            lock (_sync)
            {
                PigeonConfig defaults = ConfigDefaults.Create(_device);
                byte[] document = ConfigDocument.Write(defaults);
                byte[] sealedCopy = ConfigSeal.Seal(document);

                // .new first: a cut before cur is deleted still loads the old config (press the
                // button again); a cut after loads the defaults from .new.
                SafeDelete(_pending);
                if (!SafeWrite(_pending, sealedCopy))
                {
                    SafeDelete(_pending);
                }

                SafeDelete(_backup);
                SafeDelete(_name);
                if (!SafeRename(_pending, _name))
                {
                    SafeDelete(_pending);
                }

                _current = defaults;
                _currentInPending = false;
                _currentFileGood = ConfigSeal.Open(SafeRead(_name), out document) == ConfigSealResult.Verified;
                _currentDocument = _currentFileGood ? document : null;
            }
        }

        private bool Replace(byte[] sealedCopy, ValidationReport report)
        {
            // 0. the config in use is only in .new: finish its switch first, or step 1 would overwrite it
            if (_currentInPending)
            {
                if (!SafeDelete(_name) || !SafeRename(_pending, _name))
                {
                    report.AddError(ValidationReport.DocumentPath, "The storage did not let the last save finish; nothing was changed.");
                    return false;
                }

                _currentInPending = false;
                _currentFileGood = true;
            }

            // 1. the new copy beside the old one, flushed
            SafeDelete(_pending);
            if (!SafeWrite(_pending, sealedCopy))
            {
                SafeDelete(_pending);
                report.AddError(ValidationReport.DocumentPath, "The config could not be written to storage (is it full?). The previous config is kept.");
                return false;
            }

            // 2-3. keep cur as the backup only when it is known good; a damaged cur is dropped
            if (_currentFileGood)
            {
                if (!SafeDelete(_backup) || !SafeRename(_name, _backup))
                {
                    report.AddError(ValidationReport.DocumentPath, "The previous config could not be kept as a backup; nothing was changed.");
                    return false;
                }
            }
            else if (!SafeDelete(_name))
            {
                report.AddError(ValidationReport.DocumentPath, "The damaged config file could not be removed; nothing was changed.");
                return false;
            }

            // 4. the switch
            if (!SafeRename(_pending, _name))
            {
                // .new is complete and sealed: the next load uses it.
                report.AddError(ValidationReport.DocumentPath, "The new config was written but could not be switched in; it will be used after a restart.");
                return false;
            }

            return true;
        }

        /// <summary>
        /// Decodes one copy as <see cref="Load"/> does (size, checksum, JSON, schema, mapping and
        /// every rule, each problem in <paramref name="report"/>), for `config check FILE`. Null
        /// when the copy cannot be used. <paramref name="handEdits"/>: see <see cref="HandEdits"/>;
        /// <paramref name="editedByHand"/> is true for a usable copy without a valid checksum.
        /// </summary>
        public static PigeonConfig Check(byte[] file, bool device, bool handEdits, ValidationReport report, out bool editedByHand)
        {
            byte[] document;
            int fromVersion;
            bool damaged;
            return Decode(file, device, handEdits, false, report, out document, out fromVersion, out damaged, out editedByHand);
        }

        private static PigeonConfig Decode(byte[] file, bool device, bool handEdits, bool mustBeSealed, ValidationReport report,
            out byte[] document, out int fromVersion, out bool damaged, out bool edited)
        {
            fromVersion = -1;
            document = null;
            damaged = false;
            edited = false;
            if (file == null)
            {
                report.AddError(ValidationReport.DocumentPath, "could not be read");
                return null;
            }

            if (file.Length > ConfigDefaults.MaxDocumentBytes + 64)
            {
                // Refused by size before anything else reads it (the seal adds 32 bytes).
                report.AddError(ValidationReport.DocumentPath, $"is {file.Length} bytes or more; the most Pigeon accepts is {ConfigDefaults.MaxDocumentBytes} bytes. It was not read.");
                return null;
            }

            ConfigSealResult seal = ConfigSeal.Open(file, out document);
            if (seal == ConfigSealResult.Damaged && (mustBeSealed || !handEdits))
            {
                damaged = true;
                report.AddError(ValidationReport.DocumentPath, "is damaged: its checksum does not match its content (a storage fault, or it was edited by hand without deleting the \"checksum\" line)");
                return null;
            }

            if (seal == ConfigSealResult.Unsealed && mustBeSealed)
            {
                report.AddError(ValidationReport.DocumentPath, "is an unfinished save (no checksum)");
                return null;
            }

            if (seal != ConfigSealResult.Verified)
            {
                document = file; // written or edited by hand: the whole file is the document
                edited = true;
            }

            PigeonConfig config;
            try
            {
                config = ConfigDocument.Check(document, 0, document.Length, device, report, out fromVersion);
            }
            catch (Exception)
            {
                report.AddError(ValidationReport.DocumentPath, "could not be read");
                config = null;
            }

            if (config == null)
            {
                if (seal == ConfigSealResult.Damaged)
                {
                    report.AddWarning(ValidationReport.DocumentPath, "its checksum does not match its content: it was edited by hand, or damaged");
                }

                return null;
            }

            if (edited || fromVersion != ConfigDefaults.SchemaVersion)
            {
                document = null; // not in the stored form: the next save writes it out even if unchanged
            }

            return config;
        }

        private static string Summary(ValidationReport report)
        {
            if (report.ErrorCount == 0)
            {
                return "cannot be used";
            }

            ValidationIssue first = report.GetError(0);
            string text = first.Path == ValidationReport.DocumentPath ? first.Message : first.Path + ": " + first.Message;
            if (report.ErrorCount > 1)
            {
                text = text + " (and " + (report.ErrorCount - 1).ToString() + " more problems)";
            }

            return text;
        }

        private static string Join(string a, string b)
        {
            return a.Length == 0 ? b : a + "; " + b;
        }

        private byte[] SafeRead(string name)
        {
            try
            {
                return _files.Read(name);
            }
            catch (Exception)
            {
                return null;
            }
        }

        private bool SafeWrite(string name, byte[] bytes)
        {
            try
            {
                return _files.Write(name, bytes, 0, bytes.Length);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private bool SafeRename(string from, string to)
        {
            try
            {
                return _files.Rename(from, to);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private bool SafeDelete(string name)
        {
            try
            {
                return _files.Delete(name);
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
