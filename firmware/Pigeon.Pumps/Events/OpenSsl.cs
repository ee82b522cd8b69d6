using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The OpenSSL calls the Linux pump makes itself, bound at run time to the very libssl the
    /// .NET runtime already loaded (found in /proc/self/maps), so both use one library and one
    /// configuration. OpenSSL 1.1.1 and 3.x have the same entry points for all of these. When the
    /// library or a function is missing, <see cref="Available"/> is false and TLS goes through
    /// SslStream as on the other pumps.
    /// </summary>
    internal static unsafe class OpenSsl
    {
        public const int SSL_ERROR_SSL = 1;
        public const int SSL_ERROR_WANT_READ = 2;
        public const int SSL_ERROR_WANT_WRITE = 3;
        public const int SSL_ERROR_SYSCALL = 5;
        public const int SSL_ERROR_ZERO_RETURN = 6;

        public const int SSL_CTRL_MODE = 33;
        public const int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
        public const int SSL_CTRL_CHAIN_CERT = 89;
        public const int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
        public const int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;

        public const long SSL_MODE_ENABLE_PARTIAL_WRITE = 0x1;
        public const long SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2;
        public const long SSL_MODE_RELEASE_BUFFERS = 0x10;

        public const ulong SSL_OP_NO_COMPRESSION = 1UL << 17;
        public const ulong SSL_OP_CIPHER_SERVER_PREFERENCE = 1UL << 22;
        public const ulong SSL_OP_NO_RENEGOTIATION = 1UL << 30;

        public const int TLS1_2_VERSION = 0x0303;
        public const int TLS1_3_VERSION = 0x0304;

        public const int SSL_TLSEXT_ERR_OK = 0;
        public const int SSL_TLSEXT_ERR_ALERT_FATAL = 2;
        public const int OPENSSL_NPN_NEGOTIATED = 1;

        public const int BIO_TYPE_SOURCE_SINK = 0x0400;
        public const int BIO_FLAGS_READ = 0x01;
        public const int BIO_FLAGS_WRITE = 0x02;
        public const int BIO_FLAGS_SHOULD_RETRY = 0x08;
        public const int BIO_CTRL_EOF = 2;
        public const int BIO_CTRL_FLUSH = 11;

        private static readonly object s_lock = new object();
        private static int s_state; // 0 not tried, 1 loaded, -1 not available

        public static delegate* unmanaged<IntPtr> TLS_server_method;
        public static delegate* unmanaged<IntPtr, IntPtr> SSL_CTX_new;
        public static delegate* unmanaged<IntPtr, void> SSL_CTX_free;
        public static delegate* unmanaged<IntPtr, int, long, IntPtr, long> SSL_CTX_ctrl;
        public static delegate* unmanaged<IntPtr, ulong, ulong> SSL_CTX_set_options;
        public static delegate* unmanaged<IntPtr, byte*, int> SSL_CTX_set_cipher_list;
        public static delegate* unmanaged<IntPtr, IntPtr, int> SSL_CTX_use_certificate;
        public static delegate* unmanaged<IntPtr, IntPtr, int> SSL_CTX_use_PrivateKey;
        public static delegate* unmanaged<IntPtr, int> SSL_CTX_check_private_key;
        public static delegate* unmanaged<IntPtr, IntPtr, IntPtr, void> SSL_CTX_set_alpn_select_cb;
        public static delegate* unmanaged<byte**, byte*, byte*, uint, byte*, uint, int> SSL_select_next_proto;
        public static delegate* unmanaged<IntPtr, IntPtr> SSL_new;
        public static delegate* unmanaged<IntPtr, void> SSL_free;
        public static delegate* unmanaged<IntPtr, IntPtr, IntPtr, void> SSL_set_bio;
        public static delegate* unmanaged<IntPtr, void> SSL_set_accept_state;
        public static delegate* unmanaged<IntPtr, int> SSL_do_handshake;
        public static delegate* unmanaged<IntPtr, byte*, int, int> SSL_read;
        public static delegate* unmanaged<IntPtr, byte*, int, int> SSL_write;
        public static delegate* unmanaged<IntPtr, int, int> SSL_get_error;
        public static delegate* unmanaged<IntPtr, int> SSL_shutdown;
        public static delegate* unmanaged<IntPtr, int> SSL_pending;
        public static delegate* unmanaged<void> ERR_clear_error;
        public static delegate* unmanaged<IntPtr*, byte**, long, IntPtr> d2i_X509;
        public static delegate* unmanaged<IntPtr, void> X509_free;
        public static delegate* unmanaged<IntPtr*, byte**, long, IntPtr> d2i_AutoPrivateKey;
        public static delegate* unmanaged<IntPtr, void> EVP_PKEY_free;
        public static delegate* unmanaged<int> BIO_get_new_index;
        public static delegate* unmanaged<int, byte*, IntPtr> BIO_meth_new;
        public static delegate* unmanaged<IntPtr, IntPtr, int> BIO_meth_set_write;
        public static delegate* unmanaged<IntPtr, IntPtr, int> BIO_meth_set_read;
        public static delegate* unmanaged<IntPtr, IntPtr, int> BIO_meth_set_ctrl;
        public static delegate* unmanaged<IntPtr, IntPtr, int> BIO_meth_set_create;
        public static delegate* unmanaged<IntPtr, IntPtr> BIO_new;
        public static delegate* unmanaged<IntPtr, IntPtr, void> BIO_set_data;
        public static delegate* unmanaged<IntPtr, IntPtr> BIO_get_data;
        public static delegate* unmanaged<IntPtr, int, void> BIO_set_init;
        public static delegate* unmanaged<IntPtr, int, void> BIO_set_flags;
        public static delegate* unmanaged<IntPtr, int, void> BIO_clear_flags;

        /// <summary>True once the library is bound (the first call tries; later calls only look).</summary>
        public static bool Available
        {
            get
            {
                if (s_state == 0)
                {
                    lock (s_lock)
                    {
                        if (s_state == 0)
                        {
                            s_state = Load() ? 1 : -1;
                        }
                    }
                }

                return s_state > 0;
            }
        }

        /// <summary>Why OpenSSL could not be bound, when it could not (for the log); null otherwise.</summary>
        public static string Problem { get; private set; }

        private static bool Load()
        {
            if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
            {
                Problem = "not 64-bit Linux"; // the bindings take C's long as 64 bits (LP64)
                return false;
            }

            try
            {
                // Makes the runtime load its OpenSSL (it loads libssl, which brings libcrypto).
                long version = SafeEvpPKeyHandle.OpenSslVersion;
                IntPtr library = LoadLoaded("libssl.so") ?? LoadByName(version);
                if (library == IntPtr.Zero)
                {
                    Problem = "libssl is not loaded";
                    return false;
                }

                IntPtr crypto = LoadLoaded("libcrypto.so") ?? library;
                Bind(library, crypto);
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is PlatformNotSupportedException || e is IOException || e is CryptographicException || e is BadImageFormatException)
            {
                Problem = e.Message;
                return false;
            }
        }

        // The library of that name the process has mapped already, by its path.
        private static IntPtr? LoadLoaded(string name)
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash > 0 && line.IndexOf("/" + name, StringComparison.Ordinal) > 0)
                {
                    return NativeLibrary.Load(line.Substring(slash));
                }
            }

            return null;
        }

        private static IntPtr LoadByName(long version)
        {
            string name = (version >> 28) >= 3 ? "libssl.so.3" : "libssl.so.1.1";
            return NativeLibrary.TryLoad(name, out IntPtr handle) ? handle : IntPtr.Zero;
        }

        private static void Bind(IntPtr ssl, IntPtr crypto)
        {
            TLS_server_method = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(ssl, "TLS_server_method");
            SSL_CTX_new = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(ssl, "SSL_CTX_new");
            SSL_CTX_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(ssl, "SSL_CTX_free");
            SSL_CTX_ctrl = (delegate* unmanaged<IntPtr, int, long, IntPtr, long>)NativeLibrary.GetExport(ssl, "SSL_CTX_ctrl");
            SSL_CTX_set_options = (delegate* unmanaged<IntPtr, ulong, ulong>)NativeLibrary.GetExport(ssl, "SSL_CTX_set_options");
            SSL_CTX_set_cipher_list = (delegate* unmanaged<IntPtr, byte*, int>)NativeLibrary.GetExport(ssl, "SSL_CTX_set_cipher_list");
            SSL_CTX_use_certificate = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(ssl, "SSL_CTX_use_certificate");
            SSL_CTX_use_PrivateKey = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(ssl, "SSL_CTX_use_PrivateKey");
            SSL_CTX_check_private_key = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(ssl, "SSL_CTX_check_private_key");
            SSL_CTX_set_alpn_select_cb = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, void>)NativeLibrary.GetExport(ssl, "SSL_CTX_set_alpn_select_cb");
            SSL_select_next_proto = (delegate* unmanaged<byte**, byte*, byte*, uint, byte*, uint, int>)NativeLibrary.GetExport(ssl, "SSL_select_next_proto");
            SSL_new = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(ssl, "SSL_new");
            SSL_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(ssl, "SSL_free");
            SSL_set_bio = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, void>)NativeLibrary.GetExport(ssl, "SSL_set_bio");
            SSL_set_accept_state = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(ssl, "SSL_set_accept_state");
            SSL_do_handshake = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(ssl, "SSL_do_handshake");
            SSL_read = (delegate* unmanaged<IntPtr, byte*, int, int>)NativeLibrary.GetExport(ssl, "SSL_read");
            SSL_write = (delegate* unmanaged<IntPtr, byte*, int, int>)NativeLibrary.GetExport(ssl, "SSL_write");
            SSL_get_error = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(ssl, "SSL_get_error");
            SSL_shutdown = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(ssl, "SSL_shutdown");
            SSL_pending = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(ssl, "SSL_pending");
            ERR_clear_error = (delegate* unmanaged<void>)NativeLibrary.GetExport(crypto, "ERR_clear_error");
            d2i_X509 = (delegate* unmanaged<IntPtr*, byte**, long, IntPtr>)NativeLibrary.GetExport(crypto, "d2i_X509");
            X509_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(crypto, "X509_free");
            d2i_AutoPrivateKey = (delegate* unmanaged<IntPtr*, byte**, long, IntPtr>)NativeLibrary.GetExport(crypto, "d2i_AutoPrivateKey");
            EVP_PKEY_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(crypto, "EVP_PKEY_free");
            BIO_get_new_index = (delegate* unmanaged<int>)NativeLibrary.GetExport(crypto, "BIO_get_new_index");
            BIO_meth_new = (delegate* unmanaged<int, byte*, IntPtr>)NativeLibrary.GetExport(crypto, "BIO_meth_new");
            BIO_meth_set_write = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(crypto, "BIO_meth_set_write");
            BIO_meth_set_read = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(crypto, "BIO_meth_set_read");
            BIO_meth_set_ctrl = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(crypto, "BIO_meth_set_ctrl");
            BIO_meth_set_create = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(crypto, "BIO_meth_set_create");
            BIO_new = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(crypto, "BIO_new");
            BIO_set_data = (delegate* unmanaged<IntPtr, IntPtr, void>)NativeLibrary.GetExport(crypto, "BIO_set_data");
            BIO_get_data = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(crypto, "BIO_get_data");
            BIO_set_init = (delegate* unmanaged<IntPtr, int, void>)NativeLibrary.GetExport(crypto, "BIO_set_init");
            BIO_set_flags = (delegate* unmanaged<IntPtr, int, void>)NativeLibrary.GetExport(crypto, "BIO_set_flags");
            BIO_clear_flags = (delegate* unmanaged<IntPtr, int, void>)NativeLibrary.GetExport(crypto, "BIO_clear_flags");
        }
    }
}
