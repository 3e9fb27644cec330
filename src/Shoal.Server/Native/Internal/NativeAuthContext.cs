using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// The <see cref="AuthContext"/> of a native connection, with the properties grpc-dotnet gives an
/// HTTP/2 call: <c>transport_security_type</c> (<c>ssl</c>) over TLS, and for a client certificate
/// <c>x509_common_name</c> and <c>x509_subject_alternative_name</c> (DNS names), the peer identity
/// being the alternative names when there are some, else the common name.
/// </summary>
internal static class NativeAuthContext
{
    private const string SecurityType = "transport_security_type";
    private const string CommonName = "x509_common_name";
    private const string AlternativeName = "x509_subject_alternative_name";

    private static readonly AuthContext s_plaintext = new(null, new Dictionary<string, List<AuthProperty>>());
    private static readonly AuthContext s_tls = new(null, new Dictionary<string, List<AuthProperty>>
    {
        [SecurityType] = [AuthProperty.Create(SecurityType, "ssl"u8.ToArray())],
    });

    public static AuthContext For(ConnectionContext connection)
    {
        if (connection.Features.Get<ITlsHandshakeFeature>() is null)
        {
            return s_plaintext;
        }
        if (connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is not { } certificate)
        {
            return s_tls;
        }
        var properties = new Dictionary<string, List<AuthProperty>>
        {
            [SecurityType] = [AuthProperty.Create(SecurityType, "ssl"u8.ToArray())],
        };
        string? identity = null;
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.IsNullOrEmpty(commonName))
        {
            properties[CommonName] = [AuthProperty.Create(CommonName, Encoding.UTF8.GetBytes(commonName))];
            identity = CommonName;
        }
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
        if (names.Count > 0)
        {
            properties[AlternativeName] = names.Select(n => AuthProperty.Create(AlternativeName, Encoding.UTF8.GetBytes(n))).ToList();
            identity = AlternativeName;
        }
        return new AuthContext(identity, properties);
    }
}
