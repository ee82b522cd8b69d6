using System.Threading;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The handlers of one relay's loops by number: an epoll event carries the number and the
    /// handler's generation (see <see cref="Token"/>), never a pointer into the managed heap, so
    /// an event that arrives after its socket was closed and the handler reused finds a
    /// different generation and is dropped. A handler keeps its number for its whole life.
    /// </summary>
    internal sealed class EpollRegistry
    {
        private readonly object _lock = new object();
        private IEpollHandler[] _handlers = new IEpollHandler[256];
        private int _count;

        /// <summary>Gives <paramref name="handler"/> its number.</summary>
        public int Add(IEpollHandler handler)
        {
            lock (_lock)
            {
                if (_count == _handlers.Length)
                {
                    IEpollHandler[] bigger = new IEpollHandler[_handlers.Length * 2];
                    System.Array.Copy(_handlers, bigger, _count);
                    Volatile.Write(ref _handlers, bigger); // the loops read without the lock
                }

                _handlers[_count] = handler;
                return _count++;
            }
        }

        /// <summary>The handler numbered <paramref name="slot"/>, or null.</summary>
        public IEpollHandler Get(int slot)
        {
            IEpollHandler[] handlers = Volatile.Read(ref _handlers);
            return (uint)slot < (uint)handlers.Length ? handlers[slot] : null;
        }

        /// <summary>What an epoll event carries for handler <paramref name="slot"/> at <paramref name="generation"/>.</summary>
        public static ulong Token(int slot, int generation)
        {
            return (uint)slot | ((ulong)(uint)generation << 32);
        }
    }
}
