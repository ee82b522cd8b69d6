using System;
using System.Text.Json.Nodes;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The two routes WhatsApp uses, on 127.0.0.1: a chat route (plain, with a PROXY v1 line to
    /// its upstream) and a media route (SNI allow-list; every media client opens with
    /// <see cref="Hello"/>), each with its own <see cref="Upstream"/>.
    /// </summary>
    public sealed class ChatAndMedia : IDisposable
    {
        /// <summary>Both upstreams listening and two free ports for the relay.</summary>
        public ChatAndMedia()
        {
            Hello = Configs.MediaHello();
            Chat = new Upstream(true, 0);
            Media = new Upstream(false, Hello.Length);
            ChatPort = Loopback.FreePort();
            MediaPort = Loopback.FreePort();
        }

        /// <summary>The ClientHello media clients open with.</summary>
        public byte[] Hello { get; }

        /// <summary>The chat route's upstream.</summary>
        public Upstream Chat { get; }

        /// <summary>The media route's upstream.</summary>
        public Upstream Media { get; }

        /// <summary>The relay's chat port.</summary>
        public int ChatPort { get; }

        /// <summary>The relay's media port.</summary>
        public int MediaPort { get; }

        /// <summary>Connections both upstreams accepted (sessions the relay served).</summary>
        public int Accepted => Chat.Accepted + Media.Accepted;

        /// <summary>Bytes both upstreams received.</summary>
        public long Received => Chat.Received + Media.Received;

        /// <summary>Upstream connections open now.</summary>
        public int Open => Chat.Open + Media.Open;

        /// <summary>A relay config with both routes (see <see cref="Configs.Relay"/>).</summary>
        public JsonObject Config(int maxSessions, int perClient, int evictIdleSeconds, int helloTimeoutSeconds)
        {
            return Configs.Relay(maxSessions, perClient, evictIdleSeconds, helloTimeoutSeconds,
                Configs.Chat("chat", ChatPort, Chat.Port), Configs.Media("media", MediaPort, Media.Port));
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Chat.Dispose();
            Media.Dispose();
        }
    }
}
