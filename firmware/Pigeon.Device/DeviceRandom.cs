using System;
using nanoFramework.Hardware.Esp32;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// Random bytes for portal session tokens. nanoFramework's mscorlib has no cryptographic
    /// generator; this mixes nanoCLR's System.Random with the ESP32's microsecond timer
    /// (HighResTimer) at every call, whose low bits depend on radio and network interrupt timing.
    /// Not a CSPRNG: docs/device.md lists it under limitations.
    /// </summary>
    public sealed class DeviceRandom : IRandomBytes
    {
        private readonly Random _random = new Random();
        private readonly object _lock = new object();

        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                byte[] chunk = new byte[count];
                _random.NextBytes(chunk);
                for (int i = 0; i < count; i++)
                {
                    ulong micros = HighResTimer.GetCurrent();
                    buffer[offset + i] = (byte)(chunk[i] ^ (byte)micros ^ (byte)(micros >> 11));
                }
            }
        }
    }
}
