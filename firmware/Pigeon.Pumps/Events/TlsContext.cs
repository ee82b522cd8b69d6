using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The OpenSSL server context (SSL_CTX) the Linux pump builds for one
    /// <see cref="SslServerAuthenticationOptions"/> the <see cref="Pigeon.Host.Tls.CertificateStore"/>
    /// hands out: its certificate and chain, key, protocols and ALPN list, with what .NET's
    /// SslStream sets besides (TLS 1.2 ciphers, no compression, no renegotiation), and what
    /// HAProxy sets for idle connections: <c>SSL_MODE_RELEASE_BUFFERS</c>, so a silent session
    /// holds no 16 KB record buffers. Built once per options object (a reload or a renewal makes
    /// new options, so a new context; sessions under way keep theirs) and freed with it.
    /// </summary>
    internal sealed unsafe class TlsContext
    {
        // .NET's own default list for TLS 1.2 on Linux (ECDHE with AES-GCM or SHA-2 CBC): the
        // same choices the threaded pump's SslStream makes. TLS 1.3 suites are OpenSSL's.
        private const string Tls12Ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256";

        private static readonly ConditionalWeakTable<SslServerAuthenticationOptions, TlsContext> s_contexts = new ConditionalWeakTable<SslServerAuthenticationOptions, TlsContext>();
        private static readonly object s_lock = new object();

        private IntPtr _context;
        private byte* _protocols; // ALPN: the list's length (an int, 8 bytes kept), then the list in wire format

        private TlsContext()
        {
        }

        ~TlsContext()
        {
            if (_context != IntPtr.Zero)
            {
                OpenSsl.SSL_CTX_free(_context); // sessions still open hold their own reference
            }

            if (_protocols != null)
            {
                NativeMemory.Free(_protocols);
            }
        }

        /// <summary>The SSL_CTX.</summary>
        public IntPtr Handle
        {
            get { return _context; }
        }

        /// <summary>The context for <paramref name="options"/>; null when OpenSSL is not bound or would not take them (SslStream serves that hello).</summary>
        public static TlsContext For(SslServerAuthenticationOptions options)
        {
            if (options == null || !OpenSsl.Available)
            {
                return null;
            }

            if (s_contexts.TryGetValue(options, out TlsContext context))
            {
                return context.Handle == IntPtr.Zero ? null : context;
            }

            lock (s_lock)
            {
                if (!s_contexts.TryGetValue(options, out context))
                {
                    context = new TlsContext();
                    context.Build(options);
                    s_contexts.Add(options, context);
                }
            }

            return context.Handle == IntPtr.Zero ? null : context;
        }

        private void Build(SslServerAuthenticationOptions options)
        {
            X509Certificate2 certificate = options.ServerCertificateContext?.TargetCertificate ?? options.ServerCertificate as X509Certificate2;
            if (certificate == null || !certificate.HasPrivateKey)
            {
                return;
            }

            IntPtr context = OpenSsl.SSL_CTX_new(OpenSsl.TLS_server_method());
            if (context == IntPtr.Zero)
            {
                return;
            }

            bool ok = UseCertificate(context, certificate, options.ServerCertificateContext?.IntermediateCertificates)
                && UseKey(context, certificate)
                && OpenSsl.SSL_CTX_check_private_key(context) == 1
                && SetProtocols(context, options.EnabledSslProtocols)
                && SetCiphers(context);
            if (!ok)
            {
                OpenSsl.SSL_CTX_free(context);
                OpenSsl.ERR_clear_error();
                return;
            }

            OpenSsl.SSL_CTX_set_options(context, OpenSsl.SSL_OP_NO_COMPRESSION | OpenSsl.SSL_OP_CIPHER_SERVER_PREFERENCE | OpenSsl.SSL_OP_NO_RENEGOTIATION);
            OpenSsl.SSL_CTX_ctrl(context, OpenSsl.SSL_CTRL_MODE, OpenSsl.SSL_MODE_ENABLE_PARTIAL_WRITE | OpenSsl.SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | OpenSsl.SSL_MODE_RELEASE_BUFFERS, IntPtr.Zero);

            // No server-side session cache: TLS 1.3 resumes with stateless tickets (OpenSSL's
            // default two per handshake, as HAProxy and SslStream send), and the cache would
            // keep every session for minutes.
            OpenSsl.SSL_CTX_ctrl(context, OpenSsl.SSL_CTRL_SET_SESS_CACHE_MODE, 0, IntPtr.Zero);
            SetApplicationProtocols(context, options.ApplicationProtocols);
            _context = context;
        }

        private static bool UseCertificate(IntPtr context, X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> chain)
        {
            IntPtr x509 = Decode(certificate);
            if (x509 == IntPtr.Zero)
            {
                return false;
            }

            bool ok = OpenSsl.SSL_CTX_use_certificate(context, x509) == 1; // takes its own reference
            OpenSsl.X509_free(x509);
            if (ok && chain != null)
            {
                foreach (X509Certificate2 intermediate in chain)
                {
                    IntPtr link = Decode(intermediate);
                    if (link == IntPtr.Zero)
                    {
                        return false;
                    }

                    // SSL_CTX_add0_chain_cert: the context keeps this reference.
                    if (OpenSsl.SSL_CTX_ctrl(context, OpenSsl.SSL_CTRL_CHAIN_CERT, 0, link) != 1)
                    {
                        OpenSsl.X509_free(link);
                        return false;
                    }
                }
            }

            return ok;
        }

        private static IntPtr Decode(X509Certificate2 certificate)
        {
            byte[] der = certificate.RawData;
            fixed (byte* start = der)
            {
                byte* p = start;
                return OpenSsl.d2i_X509(null, &p, der.Length);
            }
        }

        // The certificate's key as OpenSSL holds it already (.NET's keys on Linux are OpenSSL
        // keys), or its PKCS#8 export for any other.
        private static bool UseKey(IntPtr context, X509Certificate2 certificate)
        {
            using AsymmetricAlgorithm key = (AsymmetricAlgorithm)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey();
            if (key == null)
            {
                return false;
            }

            SafeEvpPKeyHandle handle = key is ECDsaOpenSsl ec ? ec.DuplicateKeyHandle() : key is RSAOpenSsl rsa ? rsa.DuplicateKeyHandle() : null;
            if (handle != null)
            {
                using (handle)
                {
                    return OpenSsl.SSL_CTX_use_PrivateKey(context, handle.DangerousGetHandle()) == 1; // takes its own reference
                }
            }

            byte[] pkcs8 = key.ExportPkcs8PrivateKey();
            try
            {
                fixed (byte* start = pkcs8)
                {
                    byte* p = start;
                    IntPtr evp = OpenSsl.d2i_AutoPrivateKey(null, &p, pkcs8.Length);
                    if (evp == IntPtr.Zero)
                    {
                        return false;
                    }

                    bool ok = OpenSsl.SSL_CTX_use_PrivateKey(context, evp) == 1;
                    OpenSsl.EVP_PKEY_free(evp);
                    return ok;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }

        private static bool SetProtocols(IntPtr context, SslProtocols enabled)
        {
#pragma warning disable SYSLIB0039 // TLS 1.0 and 1.1 are named only to be left out
            int min = OpenSsl.TLS1_2_VERSION;
            int max = OpenSsl.TLS1_3_VERSION;
            if (enabled != SslProtocols.None)
            {
                min = (enabled & SslProtocols.Tls12) != 0 ? OpenSsl.TLS1_2_VERSION : OpenSsl.TLS1_3_VERSION;
                max = (enabled & SslProtocols.Tls13) != 0 ? OpenSsl.TLS1_3_VERSION : OpenSsl.TLS1_2_VERSION;
            }
#pragma warning restore SYSLIB0039

            return OpenSsl.SSL_CTX_ctrl(context, OpenSsl.SSL_CTRL_SET_MIN_PROTO_VERSION, min, IntPtr.Zero) == 1
                && OpenSsl.SSL_CTX_ctrl(context, OpenSsl.SSL_CTRL_SET_MAX_PROTO_VERSION, max, IntPtr.Zero) == 1;
        }

        private static bool SetCiphers(IntPtr context)
        {
            byte[] list = Encoding.ASCII.GetBytes(Tls12Ciphers + "\0");
            fixed (byte* p = list)
            {
                return OpenSsl.SSL_CTX_set_cipher_list(context, p) == 1;
            }
        }

        // ALPN (RFC 7301) from the options' list, in its order of preference; a client offering
        // none of them is refused with no_application_protocol, as SslStream does.
        private void SetApplicationProtocols(IntPtr context, List<SslApplicationProtocol> protocols)
        {
            if (protocols == null || protocols.Count == 0)
            {
                return;
            }

            int length = 0;
            foreach (SslApplicationProtocol protocol in protocols)
            {
                length += 1 + protocol.Protocol.Length;
            }

            _protocols = (byte*)NativeMemory.Alloc((nuint)(8 + length));
            *(int*)_protocols = length;
            int at = 8;
            foreach (SslApplicationProtocol protocol in protocols)
            {
                _protocols[at++] = (byte)protocol.Protocol.Length;
                protocol.Protocol.Span.CopyTo(new Span<byte>(_protocols + at, protocol.Protocol.Length));
                at += protocol.Protocol.Length;
            }

            OpenSsl.SSL_CTX_set_alpn_select_cb(context, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, byte**, byte*, byte*, uint, IntPtr, int>)&SelectProtocol, (IntPtr)_protocols);
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static int SelectProtocol(IntPtr ssl, byte** selected, byte* selectedLength, byte* offered, uint offeredLength, IntPtr argument)
        {
            byte* ours = (byte*)argument;
            byte* choice;
            byte choiceLength;
            if (OpenSsl.SSL_select_next_proto(&choice, &choiceLength, ours + 8, (uint)*(int*)ours, offered, offeredLength) == OpenSsl.OPENSSL_NPN_NEGOTIATED)
            {
                *selected = choice;
                *selectedLength = choiceLength;
                return OpenSsl.SSL_TLSEXT_ERR_OK;
            }

            return OpenSsl.SSL_TLSEXT_ERR_ALERT_FATAL;
        }
    }
}
