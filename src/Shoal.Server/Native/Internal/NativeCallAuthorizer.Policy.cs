using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Shoal.Server.Native.Internal;

/// <summary>Reading a method's endpoint metadata and combining its policy, as ASP.NET Core's authorization middleware does.</summary>
internal sealed partial class NativeCallAuthorizer
{
    private async ValueTask<NativeMethodPolicy> ResolveAsync()
    {
        var endpoint = owner.FindEndpoint(method);
        var metadata = endpoint?.Metadata ?? EndpointMetadataCollection.Empty;
        var requires = metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
            || metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0
            || metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count > 0;
        var allowAnonymous = metadata.GetMetadata<IAllowAnonymous>() is not null;
        var provider = owner.Services.GetService<IAuthorizationPolicyProvider>();
        NativeMethodPolicy policy;
        if (provider is null)
        {
            if (requires && !allowAnonymous)
            {
                NativeAuthorizationLog.NoAuthorizationServices(owner.Logger, method);
                policy = NativeMethodPolicy.Open with { Refuse = true };
            }
            else
            {
                // Nothing to authorize; with [AllowAnonymous] the caller is still authenticated, as on HTTP.
                var authenticates = allowAnonymous && owner.Services.GetService<IAuthenticationSchemeProvider>() is not null;
                policy = new NativeMethodPolicy(endpoint, authenticates, Refuse: false, allowAnonymous, Combined: null);
            }
        }
        else
        {
            var fallback = requires ? null : await provider.GetFallbackPolicyAsync().ConfigureAwait(false);
            var evaluate = requires || fallback is not null || allowAnonymous;
            policy = new NativeMethodPolicy(endpoint, evaluate, Refuse: false, allowAnonymous, Combined: null);
            if (evaluate && provider.AllowsCachingPolicies)
            {
                policy = policy with { Combined = await CombineAsync(policy).ConfigureAwait(false) };
            }
        }
        _policy = policy;
        return policy;
    }

    /// <summary>The endpoint's <see cref="IAuthorizeData"/>, policies and requirements in one policy (the fallback policy when it has none); null when there is nothing to authorize.</summary>
    private async Task<AuthorizationPolicy?> CombineAsync(NativeMethodPolicy policy)
    {
        var provider = owner.Services.GetService<IAuthorizationPolicyProvider>();
        if (provider is null)
        {
            return null;
        }
        var metadata = policy.Endpoint?.Metadata ?? EndpointMetadataCollection.Empty;
        var combined = await AuthorizationPolicy.CombineAsync(
            provider,
            metadata.GetOrderedMetadata<IAuthorizeData>(),
            metadata.GetOrderedMetadata<AuthorizationPolicy>()).ConfigureAwait(false);
        var requirementData = metadata.GetOrderedMetadata<IAuthorizationRequirementData>();
        if (requirementData.Count == 0)
        {
            return combined;
        }
        var builder = new AuthorizationPolicyBuilder();
        if (combined is not null)
        {
            builder.Combine(combined);
        }
        foreach (var data in requirementData)
        {
            foreach (var requirement in data.GetRequirements())
            {
                builder.Requirements.Add(requirement);
            }
        }
        return builder.Build();
    }
}
