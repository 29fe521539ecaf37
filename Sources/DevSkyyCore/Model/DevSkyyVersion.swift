/// The release of devskyyd and devskyyctl.
public enum DevSkyyVersion {
    public static let string = "0.1.0"
}
