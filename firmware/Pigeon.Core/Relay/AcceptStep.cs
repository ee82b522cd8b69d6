namespace Pigeon.Relay
{
    /// <summary>
    /// What a route's accept loop does next (<see cref="RelayServer.NextAcceptStep"/>): both
    /// pumps run the same loop and only carry these out.
    /// </summary>
    public enum AcceptStep
    {
        /// <summary>The listener is open: accept the next client and hand it to <see cref="RelayServer.TryAdmit"/>.</summary>
        Accept = 0,

        /// <summary>The listener is closed or failed: wait the given time, then open it again.</summary>
        Reopen = 1,

        /// <summary>The relay is stopping, or this route can never listen here: end the loop.</summary>
        Stop = 2,
    }
}
