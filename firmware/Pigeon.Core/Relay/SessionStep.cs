namespace Pigeon.Relay
{
    /// <summary>
    /// The I/O a session's sequence (<see cref="RelaySession"/>) hands its pump next. The pump
    /// carries it out the way its platform can (a blocking call on the board, an awaited
    /// operation on the host, a script in the tests) and reports the result with
    /// <see cref="RelaySession.Completed"/>; it never decides what comes next.
    /// </summary>
    public enum SessionStep
    {
        /// <summary>Wait until the client has sent something, holding no buffer (a zero-byte read); result: 0 when there is data, -1 when the client is gone. A pump that cannot wait without reading answers 0 at once.</summary>
        WaitClient = 0,

        /// <summary>Read from the client into StepBuffer at StepOffset, at most StepCount bytes; result: the byte count, 0 at its FIN, -1 on error.</summary>
        ReadClient = 1,

        /// <summary>Run the TLS server handshake on the client; its first bytes are StepBuffer[StepOffset, +StepCount]. Result 1 when done (what follows is read inside the TLS), or <see cref="RelaySession.HandshakeFailed"/>.</summary>
        Handshake = 2,

        /// <summary>Call <see cref="RelaySession.Resolve"/> where blocking is allowed; result 1 when it resolved, 0 when not.</summary>
        Resolve = 3,

        /// <summary>Connect a new upstream socket to TargetAddress:TargetPort; result 1 when connected, 0 when not (the next upstream is tried), -1 when no socket could be made at all (out of descriptors: counted as such, never as the upstream's failure).</summary>
        Connect = 4,

        /// <summary>Send StepBuffer[StepOffset, +StepCount] to the upstream, all of it; result 1 or 0.</summary>
        SendUpstream = 5,

        /// <summary>Send StepBuffer[StepOffset, +StepCount] to the client, all of it; result 1 or 0.</summary>
        SendClient = 6,

        /// <summary>Finish sending to the client (TLS close_notify, then the FIN, where the platform can); result ignored.</summary>
        ShutdownClient = 7,

        /// <summary>Pump both directions (Touched / Moved / DirectionFinished / CloseAll) until both end, then end the session.</summary>
        Relay = 8,

        /// <summary>Nothing left to do: end the session (the pump's own clean-up, then End).</summary>
        Done = 9,
    }
}
