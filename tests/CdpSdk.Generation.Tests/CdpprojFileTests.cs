using CdpSdk.Core.Model;
using CdpSdk.Testing;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// The fixtures read samples/retail/retail.cdpproj with <see cref="CdpprojFile"/> instead of MSBuild: what it
/// resolves must be what the build resolves from the same file.
/// </summary>
public sealed class CdpprojFileTests
{
    string _dir = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "cdp-cdpproj-tests", Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void TheRetailSampleResolvesAsTheBuildResolvesIt()
    {
        var spec = RetailSpecs.For("local");
        Assert.Multiple(() =>
        {
            Assert.That((spec.Settings.Client, spec.Settings.Target, spec.Settings.MinIdCoverage), Is.EqualTo(("retail", TargetKind.Local, 90)));
            Assert.That(spec.Sources.Select(s => $"{s.Name} {s.Connector} {s.Mode} {s.IncrementalField} {s.StartDate}".Trim()), Is.EqualTo(new[]
            {
                "shopify file Both updated_at 2024-01-01T00:00:00.000000", "pos file Incremental updated_at", "web file Incremental event_time",
            }));
            Assert.That(spec.Objects.Select(o => $"{o.Source}.{o.Name} {o.Location} {o.HistoricalLocation} {o.PrimaryKey}".Trim()), Is.EqualTo(new[]
            {
                "shopify.customers data/shopify/customers.csv data/shopify/customers_history.csv id",
                "shopify.orders data/shopify/orders.csv data/shopify/orders_history.csv id",
                "pos.members data/pos/members.csv data/pos/members.csv member_id",
                "web.signups data/web/signups.csv data/web/signups.csv event_id",
            }));
            Assert.That(spec.Staging.Select(s => $"{s.Output} [{string.Join(",", s.EmailColumns)}] [{string.Join(",", s.PhoneColumns)}] [{string.Join(",", s.TimestampColumns)}] {s.TransformSql}".Trim()), Is.EqualTo(new[]
            {
                "shopify_customers [email] [phone] [created_at,updated_at]",
                "shopify_orders [customer_email] [] [ordered_at,updated_at]",
                "pos_members [email] [mobile] []",
                "web_signups [email] [] [event_time] sql/web_signups.sql",
            }));
            var u = spec.Unifications.Single();
            Assert.That((u.Name, u.IdMethod, u.UpdateStrategy, u.IdName, u.MergeIterations), Is.EqualTo(("customer_360", IdMethod.PersistentId, UpdateStrategy.Incremental, "td_id", 3)));
            Assert.That(u.Keys.Select(k => $"{k.Name} {k.ValidRegexp} [{string.Join(",", k.InvalidTexts.Where(t => t.Length > 0))}]"), Is.EqualTo(new[]
            {
                "email .*@.* [test@example.com,none@none.com]", "phone ^[0-9]{10,15}$ [0000000000]", "td_client_id ^c[0-9]+$ []",
            }));
            Assert.That(u.Tables.Select(t => $"{t.Table} {string.Join(",", t.KeyColumns.Select(c => c.Column + ":" + c.Key))}"), Is.EqualTo(new[]
            {
                "shopify_customers cleaned_email:email,standardized_phone:phone",
                "shopify_orders cleaned_customer_email:email",
                "pos_members cleaned_email:email,standardized_mobile:phone",
                "web_signups cleaned_email:email,td_client_id:td_client_id",
            }));
            Assert.That(u.MasterAttributes.Select(a => $"{a.Name} {a.ArrayElements} {string.Join(",", a.Sources.Select(s => $"{s.Table}.{s.Column}:{s.Priority}"))}"), Is.EqualTo(new[]
            {
                "email 1 shopify_customers.cleaned_email:1,pos_members.cleaned_email:2",
                "phones 2 pos_members.standardized_mobile:1,shopify_customers.standardized_phone:2",
            }));
            Assert.That(spec.Checks.Select(c => $"{c.Phase} {c.Name} {c.Rule} {c.Severity}"), Is.EqualTo(new[]
            {
                "Ingestion every_load_succeeded AcceptedValues Error",
                "Staging customer_ids_unique Unique Error",
                "Staging order_amounts_plausible Range Error",
                "Staging customer_updates_plausible Freshness Error",
                "Staging member_emails_complete Completeness Warn",
                "Unification enriched_customers_shape Schema Error",
                "Staging orders_after_signup Sql Error",
            }));
            Assert.That(spec.Sources[1].At, Is.EqualTo(new CdpSdk.Core.Diagnostics.SourceLocation(RetailSpecs.ProjectFile, 18, 6)), "where pos is written, as the build reports it");
        });
    }

    [Test]
    public void EachNameOfAnIncludeIsAnItemWithItsOwnIdentityInItsMetadata()
    {
        var file = Write("""
            <Project Sdk="CdpSdk">
              <PropertyGroup><CdpClient>acme</CdpClient></PropertyGroup>
              <ItemGroup>
                <CdpObject Include="a; b" Source="s" Label="ignored">
                  <Location>in/%(Identity).csv</Location>
                </CdpObject>
              </ItemGroup>
            </Project>
            """);

        var raw = CdpprojFile.Read(file);

        Assert.That(raw.Property("CdpClient"), Is.EqualTo("acme"));
        Assert.That(raw.Items.Select(i => $"{i.ItemType} {i.Identity} {string.Join(" ", i.Metadata.OrderBy(m => m.Key).Select(m => m.Key + "=" + m.Value))} line {i.Location.Line}"),
            Is.EqualTo(new[] { "CdpObject a Location=in/a.csv Source=s line 4", "CdpObject b Location=in/b.csv Source=s line 4" }));
    }

    [TestCase("""<ItemGroup><CdpSource Include="s" Condition="'$(X)' == ''" /></ItemGroup>""")]
    [TestCase("""<PropertyGroup><CdpClient>$(Name)</CdpClient></PropertyGroup>""")]
    [TestCase("""<ItemGroup><CdpObject Include="o" Location="%(Filename).csv" /></ItemGroup>""")]
    [TestCase("""<ItemGroup><CdpObject Include="data/*.csv" /></ItemGroup>""")]
    [TestCase("""<Import Project="more.props" />""")]
    public void WhatOnlyMSBuildCanEvaluateIsRefused(string content)
    {
        var file = Write($"<Project Sdk=\"CdpSdk\">\n  {content}\n</Project>");

        Assert.That(() => CdpprojFile.Read(file), Throws.TypeOf<NotSupportedException>().With.Message.Contains("line 2"));
    }

    string Write(string content)
    {
        var file = Path.Combine(_dir, "p.cdpproj");
        File.WriteAllText(file, content);
        return file;
    }
}
