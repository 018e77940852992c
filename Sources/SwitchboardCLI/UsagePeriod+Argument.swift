import ArgumentParser
import Switchboard

extension UsagePeriod: ExpressibleByArgument {}
