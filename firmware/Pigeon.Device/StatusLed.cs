using System;
using System.Device.Gpio;
using System.Threading;

namespace Pigeon.Device
{
    /// <summary>
    /// Drives the board's status LED from one thread with 100 ms steps; patterns are 20 steps
    /// (2 s) long so a volunteer can tell them apart by eye.
    /// </summary>
    public sealed class StatusLed
    {
        private const int StepMs = 100;

        // 20 steps of 100 ms each; '1' = lit.
        private const string StartingPattern = "11111111111111111111";
        private const string SetupPattern = "10100000000000000000";
        private const string ConnectingPattern = "10101010101010101010";
        private const string RelayingPattern = "11111111110000000000";
        private const string ErrorPattern = "10101000000000000000";
        private const string OffPattern = "00000000000000000000";

        private readonly GpioPin _pin;
        private readonly bool _activeHigh;
        private string _pattern = StartingPattern;
        private LedMode _mode = LedMode.Starting;

        /// <summary>Opens the pin as an output; a board without a usable pin gets a silent LED.</summary>
        public StatusLed(GpioController gpio, BoardInfo board)
        {
            _activeHigh = board.LedActiveHigh;
            try
            {
                _pin = gpio.OpenPin(board.LedPin, PinMode.Output);
            }
            catch (Exception)
            {
                _pin = null;
            }

            Thread thread = new Thread(Loop);
            thread.Start();
        }

        /// <summary>The mode shown now.</summary>
        public LedMode Mode
        {
            get { return _mode; }
        }

        /// <summary>Switches the pattern (takes effect within 100 ms).</summary>
        public void Show(LedMode mode)
        {
            _mode = mode;
            switch (mode)
            {
                case LedMode.Setup: _pattern = SetupPattern; break;
                case LedMode.Connecting: _pattern = ConnectingPattern; break;
                case LedMode.Relaying: _pattern = RelayingPattern; break;
                case LedMode.Error: _pattern = ErrorPattern; break;
                case LedMode.Off: _pattern = OffPattern; break;
                default: _pattern = StartingPattern; break;
            }
        }

        private void Loop()
        {
            int step = 0;
            while (true)
            {
                string pattern = _pattern;
                bool lit = pattern[step % pattern.Length] == '1';
                if (_pin != null)
                {
                    _pin.Write(lit == _activeHigh ? PinValue.High : PinValue.Low);
                }

                step = (step + 1) % 20;
                Thread.Sleep(StepMs);
            }
        }
    }
}
