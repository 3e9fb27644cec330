using Grpc.Core;

namespace Shop.Payment;

/// <summary>
/// The Payment contract. The card network is simulated: a card whose number ends in 0002 is
/// declined (as the usual test cards are), every other card is approved.
/// </summary>
public sealed class PaymentService(ChargeLedger ledger) : Payment.PaymentBase
{
    /// <summary>The ending of a card number that is always declined.</summary>
    public const string DeclinedCardSuffix = "0002";

    public override Task<ChargeReply> Charge(ChargeRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.IdempotencyKey) || request.IdempotencyKey.Length > 200)
        {
            throw Invalid("idempotency_key must be 1-200 characters: without it a retried charge could charge twice.");
        }
        if (string.IsNullOrWhiteSpace(request.OrderId) || request.AmountCents <= 0 || string.IsNullOrWhiteSpace(request.Card))
        {
            throw Invalid("a charge needs an order_id, a card and a positive amount_cents.");
        }
        var reply = ledger.Charge(request, Decide)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"idempotency key '{request.IdempotencyKey}' was used for another order or amount."));
        return Task.FromResult(reply);
    }

    public override Task<AuditReply> Audit(AuditRequest request, ServerCallContext context) => Task.FromResult(ledger.Audit());

    private static (ChargeStatus, string) Decide(ChargeRequest request)
        => request.Card.EndsWith(DeclinedCardSuffix, StringComparison.Ordinal)
            ? (ChargeStatus.Declined, "card declined by the issuer")
            : (ChargeStatus.Approved, "");

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
