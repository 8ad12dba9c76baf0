namespace CdpSdk.Core.Model;

public enum TargetKind { Local, TreasureData }

public enum LoadMode { Incremental, Historical, Both }

public enum SqlEngine { Presto, Hive }

public enum RunMode { HumanInLoop, Autonomous }

/// <summary>CdpWarehouseStorage: how the Local warehouse stores text. Fast keeps it uncompressed; Compact FSST-compresses it.</summary>
public enum WarehouseStorage { Fast, Compact }

public enum IdMethod { PersistentId, CanonicalId }

public enum UpdateStrategy { Incremental, Full }

public static class EnumText
{
    public static string ToTd(this IdMethod m) => m == IdMethod.PersistentId ? "persistent_id" : "canonical_id";
    public static string ToTd(this LoadMode m) => m.ToString().ToLowerInvariant();
    public static string ToTd(this SqlEngine e) => e.ToString().ToLowerInvariant();
}
