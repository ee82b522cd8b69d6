using System;
using System.Collections.Generic;
using System.IO;
using Pigeon.Config;
using Pigeon.Portal;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// `pigeon setup --public-host HOST --admin-password-file FILE [--portal-address ADDR]
    /// [--data-dir DIR | --config FILE]`: a working relay config without a browser. It loads the
    /// config a start would use (the defaults when there is none yet), sets what it is given,
    /// saves through the store (the config's own rules; nothing written when nothing changed), and
    /// prints the links to share. A container gets the same from its environment before each start
    /// (<see cref="SetupRequest.FromEnvironment"/>). Exit codes: 0 done, 1 the config has errors or
    /// a value is refused, 2 usage.
    /// </summary>
    public static class SetupCommand
    {
        /// <summary>The usage text.</summary>
        public const string Usage = "usage: pigeon setup [--public-host HOST] [--admin-password-file FILE] [--portal-address ADDR]\n"
            + "                    [--data-dir DIR | --config FILE]\n"
            + "  sets the public host the share links carry, the portal's admin password (the first line of\n"
            + "  FILE, 8-64 characters) and the address the portal listens on (anything but 127.0.0.1 needs\n"
            + "  the password), in the config a start with the same --data-dir/--config uses (created with the\n"
            + "  defaults when there is none), then prints the links to share. The relay uses it at its next\n"
            + "  start (the package: sudo systemctl restart pigeon). Without --data-dir and --config, and no\n"
            + "  ./pigeon-data here: the package's " + HostOptions.PackageConfigPath + " when it is installed.\n"
            + "  Environment: PIGEON_PUBLIC_HOST, PIGEON_ADMIN_PASSWORD_FILE, PIGEON_PORTAL_ADDRESS, PIGEON_DATA_DIR.\n";

        /// <summary>Runs the command; returns the exit code.</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, string> environment)
        {
            HostOptions options;
            SetupRequest request;
            try
            {
                options = HostOptions.Parse(new string[0], environment);
                request = options.Setup ?? new SetupRequest();
                for (int i = 1; i < args.Length; i++)
                {
                    string value = i + 1 < args.Length ? args[i + 1] : null;
                    switch (args[i])
                    {
                        case "--public-host": request.PublicHost = Need(value, args[i]); break;
                        case "--admin-password-file": request.AdminPasswordFile = Need(value, args[i]); break;
                        case "--portal-address": request.PortalAddress = Need(value, args[i]); break;
                        case "--data-dir": options.DataDir = Need(value, args[i]); options.DataDirGiven = true; break;
                        case "--config": options.ConfigPath = Need(value, args[i]); break;
                        default: throw new ArgumentException("unknown option \"" + args[i] + "\"");
                    }

                    i++;
                }

                if (request.IsEmpty)
                {
                    throw new ArgumentException("nothing to set");
                }

                options.PreferPackage();
            }
            catch (ArgumentException e)
            {
                error.WriteLine("error: " + e.Message);
                error.Write(Usage);
                return 2;
            }

            string path = options.EffectiveConfigPath;
            ConfigStore store = HostConfig.OpenStore(path);
            ConfigLoadResult loaded = store.Load();
            List<string> errors = new List<string>();
            string refusal = HostConfig.Refusal(loaded, store, path, errors);
            if (refusal != null)
            {
                foreach (string line in errors)
                {
                    output.WriteLine("error: " + line);
                }

                output.WriteLine(refusal);
                return 1;
            }

            ValidationReport report = new ValidationReport();
            List<string> done = new List<string>();
            if (!Apply(store, request, new Pbkdf2PasswordHasher(), report, done))
            {
                for (int i = 0; i < report.ErrorCount; i++)
                {
                    output.WriteLine("error: " + report.GetError(i));
                }

                output.WriteLine(path + ": not changed");
                return 1;
            }

            foreach (string line in done)
            {
                output.WriteLine(line);
            }

            PigeonConfig config = store.Current;
            output.WriteLine(path + ": " + (done.Count == 0 ? "already so, not rewritten" : "saved") + "; the relay uses it at its next start (the package: sudo systemctl restart pigeon)");
            foreach (string line in ShareLines(config))
            {
                output.WriteLine(line);
            }

            return 0;
        }

        /// <summary>
        /// Sets what <paramref name="request"/> names on the store's config and saves it (the
        /// store runs the config's rules and writes only a change). <paramref name="done"/> gets
        /// one line per value changed, none when all were already so. False with the errors, the
        /// config unchanged.
        /// </summary>
        public static bool Apply(ConfigStore store, SetupRequest request, IPasswordHasher hasher, ValidationReport report, List<string> done)
        {
            PigeonConfig config = store.Current;
            List<string> changed = new List<string>();
            if (request.PublicHost != null && request.PublicHost != config.Network.PublicHost)
            {
                config.Network.PublicHost = request.PublicHost;
                changed.Add("public host: " + request.PublicHost);
            }

            if (request.PortalAddress != null && request.PortalAddress != config.Portal.ListenAddress)
            {
                config.Portal.ListenAddress = request.PortalAddress;
                changed.Add("portal: listens on " + request.PortalAddress + ":" + config.Portal.Port);
            }

            if (request.AdminPasswordFile != null)
            {
                string password = ReadPassword(request.AdminPasswordFile, report);
                if (password == null)
                {
                    return false;
                }

                if (!AdminPassword.Verify(config.Admin, password, hasher))
                {
                    if (!AdminPassword.Set(config.Admin, password, hasher))
                    {
                        report.AddError("admin password (" + request.AdminPasswordFile + ")", AdminPassword.LengthRule);
                        return false;
                    }

                    changed.Add("admin password: set from " + request.AdminPasswordFile);
                }
            }

            string exposure = PortalExposure.Refusal(config);
            if (exposure != null)
            {
                report.AddError("portal.listenAddress", exposure);
                return false;
            }

            if (changed.Count > 0 && !store.Save(config, report))
            {
                return false;
            }

            done.AddRange(changed);
            return true;
        }

        /// <summary>The share links of a config's routes for its public host, first choice first (what the status page shows).</summary>
        public static List<string> ShareLines(PigeonConfig config)
        {
            List<string> lines = new List<string>();
            string host = config.Network.PublicHost;
            RouteConfig[] routes = config.Relay.Routes;
            int media = ShareLink.FirstMediaPort(routes);
            if (string.IsNullOrEmpty(host))
            {
                lines.Add("share: no public host yet (pigeon setup --public-host NAME-OR-ADDRESS), so no link");
                return lines;
            }

            int tls = ShareLink.FirstChatPort(routes, true);
            int plain = ShareLink.FirstChatPort(routes, false);
            if (media > 0 && tls > 0)
            {
                lines.Add("share (first choice, chat port " + tls + " with TLS on): " + ShareLink.Build(host, tls, media, true));
            }

            if (media > 0 && plain > 0)
            {
                lines.Add("share (" + (tls > 0 ? "second choice" : "the link") + ", chat port " + plain + " with TLS off): " + ShareLink.Build(host, plain, media, false));
            }

            if (lines.Count == 0)
            {
                lines.Add("share: no link: the config needs a chat route and a media route");
            }

            return lines;
        }

        // The first line of the file, without its line ending (echo and editors add one).
        private static string ReadPassword(string path, ValidationReport report)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                report.AddError("admin password", "cannot read " + path + ": " + e.Message);
                return null;
            }

            int end = text.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? text : text.Substring(0, end);
        }

        private static string Need(string value, string option)
        {
            if (value == null || value.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException(option + " needs a value");
            }

            return value;
        }
    }
}
