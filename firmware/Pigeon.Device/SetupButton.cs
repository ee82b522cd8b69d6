using System;
using System.Device.Gpio;
using System.Threading;
using Pigeon.Net;

namespace Pigeon.Device
{
    /// <summary>
    /// The setup button: held at power-on means "start in setup mode"; held for
    /// <see cref="FactoryResetMs"/> at any time means "factory reset". Polled every 50 ms (no
    /// interrupt: the ESP32 strapping pin GPIO0 is also the BOOT button and polling it is safe).
    /// </summary>
    public sealed class SetupButton
    {
        /// <summary>Hold this long for a factory reset.</summary>
        public const int FactoryResetMs = 5000;

        private const int PollMs = 50;

        private readonly GpioPin _pin;
        private readonly bool _activeLow;
        private readonly IClock _clock;
        private readonly DeviceLog _log;
        private FactoryResetHandler _onReset;

        /// <summary>Called (on the button's thread) when the button was held 5 s.</summary>
        public delegate void FactoryResetHandler();

        /// <summary>Opens the pin as an input with the pull the board needs.</summary>
        public SetupButton(GpioController gpio, BoardInfo board, IClock clock, DeviceLog log)
        {
            _activeLow = board.ButtonActiveLow;
            _clock = clock;
            _log = log;
            try
            {
                // GPIO34-39 have no internal pulls: those boards carry an external pull-up.
                PinMode mode = board.ButtonPin >= 34 && board.ButtonPin <= 39
                    ? PinMode.Input
                    : (board.ButtonActiveLow ? PinMode.InputPullUp : PinMode.InputPullDown);
                _pin = gpio.OpenPin(board.ButtonPin, mode);
            }
            catch (Exception)
            {
                _pin = null;
                log.Warn("setup button: pin " + board.ButtonPin.ToString() + " unavailable");
            }
        }

        /// <summary>True while the button is pressed.</summary>
        public bool IsPressed
        {
            get
            {
                if (_pin == null)
                {
                    return false;
                }

                bool high = _pin.Read() == PinValue.High;
                return _activeLow ? !high : high;
            }
        }

        /// <summary>
        /// At power-on: true when the button is held now and still held 300 ms later (one
        /// bounce or a glitch on the strapping pin is not a request).
        /// </summary>
        public bool HeldAtPowerOn()
        {
            if (!IsPressed)
            {
                return false;
            }

            Thread.Sleep(300);
            return IsPressed;
        }

        /// <summary>Starts watching for a 5 s hold.</summary>
        public void WatchForFactoryReset(FactoryResetHandler onReset)
        {
            _onReset = onReset;
            Thread thread = new Thread(Loop);
            thread.Start();
        }

        private void Loop()
        {
            long pressedSince = -1;
            while (true)
            {
                if (IsPressed)
                {
                    long now = _clock.NowMilliseconds;
                    if (pressedSince < 0)
                    {
                        pressedSince = now;
                    }
                    else if (now - pressedSince >= FactoryResetMs)
                    {
                        _log.Warn("setup button held 5 s: factory reset");
                        FactoryResetHandler handler = _onReset;
                        if (handler != null)
                        {
                            handler();
                        }

                        pressedSince = -1;
                    }
                }
                else
                {
                    pressedSince = -1;
                }

                Thread.Sleep(PollMs);
            }
        }
    }
}
