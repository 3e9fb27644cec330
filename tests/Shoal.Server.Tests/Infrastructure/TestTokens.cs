using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shoal.Server.Tests.Infrastructure;

/// <summary>JWT bearer authentication with a key made for one test: tokens it signs, and a host that accepts only those.</summary>
public sealed class TestTokens
{
    private const string Issuer = "shoal-tests";
    private const string Audience = "shoal-greeter";
    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>A signed token for <paramref name="name"/> with <paramref name="roles"/>, valid for ten minutes.</summary>
    public string Create(string name, params string[] roles) => Create(name, _key, roles);

    /// <summary>A token signed by another key, which the host must refuse.</summary>
    public static string CreateForeign(string name, params string[] roles) => Create(name, new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), roles);

    /// <summary>Adds JWT bearer authentication (the default scheme) and authorization to a host.</summary>
    public void AddTo(WebApplicationBuilder builder, Action<Microsoft.AspNetCore.Authorization.AuthorizationOptions>? authorization = null)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = _key,
                NameClaimType = "name",
                RoleClaimType = "role",
            };
        });
        builder.Services.AddAuthorization(o => authorization?.Invoke(o));
    }

    private static string Create(string name, SecurityKey key, string[] roles)
    {
        var claims = new List<Claim> { new("name", name) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
