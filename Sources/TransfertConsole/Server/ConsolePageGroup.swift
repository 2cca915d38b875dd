import Hummingbird

/// One area of the console (hosting, establishments, export…): its routes, added to the console's router.
/// Each area is a type of its own in `Pages/`, given the shared ``ConsoleServices``.
protocol ConsolePageGroup: Sendable {
    init(services: ConsoleServices)
    func register(on router: Router<ConsoleRequestContext>)
}
