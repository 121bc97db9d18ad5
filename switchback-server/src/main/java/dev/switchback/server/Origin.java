package dev.switchback.server;

import dev.switchback.deploy.Slot;

import java.net.InetSocketAddress;

/** A release the router sends requests to: its slot and its port on 127.0.0.1. */
record Origin(Slot slot, InetSocketAddress address) {
}
