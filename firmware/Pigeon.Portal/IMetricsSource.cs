using Pigeon.Text;

namespace Pigeon.Portal
{
    /// <summary>What the portal's GET /metrics route needs: the page and the token that may read it.</summary>
    public interface IMetricsSource
    {
        /// <summary>network.metricsToken as configured now (empty = only the admin session).</summary>
        string MetricsToken { get; }

        /// <summary>Writes the page (see <see cref="MetricsWriter.Write"/>).</summary>
        void WriteMetrics(TextBuffer text);
    }
}
