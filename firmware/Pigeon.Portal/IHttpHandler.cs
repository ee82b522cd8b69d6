namespace Pigeon.Portal
{
    /// <summary>Answers one parsed request (see <see cref="PortalServer"/>).</summary>
    public interface IHttpHandler
    {
        /// <summary>Fills <paramref name="response"/> (already cleared) for <paramref name="request"/>. Must not throw.</summary>
        void Handle(HttpRequest request, HttpResponse response);
    }
}
