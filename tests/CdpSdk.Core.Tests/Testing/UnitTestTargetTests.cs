using CdpSdk.Core.Tests.Configuration;

namespace CdpSdk.Core.Tests.Testing;

/// <summary>Which tables a CdpTest may name: every transform's output, master tables included.</summary>
public sealed class UnitTestTargetTests
{
    [Test]
    public void AMasterTableIsATestTarget()
    {
        using var folder = new SampleFolder();
        var result = folder.Retail().Item("CdpUnificationMasterAttribute", "email", "SourceColumns=pos_members.cleaned_email")
            .Item("CdpTest", "t", "Table=customer_360_master", "Given=id,cleaned_email\n1,a@x.com", "Expect=email\na@x.com").Read();
        Assert.That(result.Diagnostics.Where(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error), Is.Empty);
        Assert.That(result.Spec!.Tests.Single().Given.Single().Table, Is.EqualTo("shopify_customers"), "a CSV Given fills the unification's first table");
    }
}
