namespace Pigeon.Pumps.Events
{
    /// <summary>Something registered with an <see cref="EpollLoop"/>: a session's socket, a listener.</summary>
    internal interface IEpollHandler
    {
        /// <summary>Changes each time the handler takes a new descriptor: an event tagged with an older one is dropped.</summary>
        int Generation { get; }

        /// <summary>epoll reported <paramref name="events"/> for the handler's descriptor (on its loop's thread).</summary>
        void OnEvents(uint events);
    }
}
