public enum TransfertKitVersion { public static let current = "0.2.0" }
