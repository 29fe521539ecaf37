import DevSkyyCore
import DevSkyyDaemon

extension ConfigLoader {
    /// The issues a document produces, each as `file:line: message`; empty when it loads.
    func issues(yaml: String, file: String) -> [String] {
        do {
            _ = try load(yaml: yaml, file: file)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }
}
