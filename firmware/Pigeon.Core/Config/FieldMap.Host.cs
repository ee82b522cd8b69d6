namespace Pigeon.Config
{
    /// <summary>
    /// The host's part of <see cref="FieldMap"/> (files named *.Host.cs are compiled into
    /// Pigeon.Core on the host only): an unknown key that looks like a typo of a known one is
    /// warned about with the key it was probably meant to be, for the operator who edits
    /// config.json by hand.
    /// </summary>
    internal sealed partial class FieldMap
    {
        partial void SuggestKnownKey(string name, ref string message)
        {
            string meant = KeySuggestion.Closest(name, _known);
            if (meant != null)
            {
                message = "Pigeon does not know this setting: did you mean \"" + meant + "\"? It is kept as it is but not used.";
            }
        }
    }
}
