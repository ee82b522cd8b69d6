namespace Pigeon.Net
{
    /// <summary>Looks up a host name's IPv4 address (A record). Called rarely: the relay caches answers.</summary>
    public interface IResolver
    {
        /// <summary>False when the name does not resolve to an IPv4 address.</summary>
        bool TryResolve(string host, out uint ipv4);
    }
}
