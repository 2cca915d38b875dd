public enum TransfertKitVersion { public static let current = "0.1.0" }
