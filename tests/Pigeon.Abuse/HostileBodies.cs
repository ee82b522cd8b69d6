using System;
using System.Collections.Generic;
using System.Text;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Hostile bodies for POST /api/config from a logged-in admin's browser (the session and CSRF
    /// token are right; the body is not): broken JSON, repeated keys, surrogates, bad UTF-8,
    /// deep nesting, wrong types, huge values, and seeded mutations of well-formed changes. The
    /// portal may save (200) or refuse (400, 413, 415, 422); nothing else.
    /// </summary>
    public static class HostileBodies
    {
        /// <summary>The answers a config change may get.</summary>
        public static readonly int[] Allowed = { 200, 400, 413, 415, 422 };

        /// <summary>Bodies a correct portal must refuse (never 200), by name.</summary>
        public static List<(string Name, byte[] Body)> MustRefuse(int portalPort)
        {
            return new List<(string, byte[])>
            {
                ("empty", Array.Empty<byte>()),
                ("null", U("null")),
                ("an array", U("[]")),
                ("a string", U("\"x\"")),
                ("an open brace", U("{")),
                ("a repeated key", U("{\"wifi\":{\"ssid\":\"a\",\"ssid\":\"b\"}}")),
                ("a repeated section", U("{\"network\":{\"publicHost\":\"a.example\"},\"network\":{\"publicHost\":\"b.example\"}}")),
                ("a lone surrogate escape", U("{\"wifi\":{\"ssid\":\"\\ud800\"}}")),
                ("a reversed surrogate pair escape", U("{\"wifi\":{\"ssid\":\"\\udc00\\ud800\"}}")),
                ("raw surrogate bytes", Mutator.Cat(U("{\"wifi\":{\"ssid\":\""), new byte[] { 0xED, 0xA0, 0x80 }, U("\"}}"))),
                ("an overlong UTF-8 slash", Mutator.Cat(U("{\"wifi\":{\"ssid\":\""), new byte[] { 0xC0, 0xAF }, U("\"}}"))),
                ("a cut UTF-8 sequence", Mutator.Cat(U("{\"wifi\":{\"ssid\":\""), new byte[] { 0xE2, 0x82 }, U("\"}}"))),
                ("nesting 1000 deep", U(new string('[', 1000) + new string(']', 1000))),
                ("nesting 1000 deep in an object", U("{\"a\":" + Mutator.Repeat("{\"a\":", 999) + "1" + new string('}', 1000))),
                ("trailing garbage", U("{} x")),
                ("two documents", U("{}{}")),
                ("a comment", U("/* */{}")),
                ("NaN", U("{\"setupAp\":{\"channel\":NaN}}")),
                ("single quotes", U("{'wifi':{}}")),
                ("a raw line break in a string", U("{\"wifi\":{\"ssid\":\"a\nb\"}}")),
                ("a trailing comma", U("{\"wifi\":{\"ssid\":\"a\",}}")),
                ("a port as text", U("{\"relay\":{\"chatPorts\":\"5222\"}}")),
                ("a port out of range", U("{\"relay\":{\"chatPorts\":[70000]}}")),
                ("a port with a fraction", U("{\"relay\":{\"chatPorts\":[5222.5]}}")),
                ("a port of 1e999", U("{\"relay\":{\"chatPorts\":[1e999]}}")),
                ("a port of 99999999999999999999", U("{\"relay\":{\"chatPorts\":[99999999999999999999]}}")),
                ("a chat port on the portal's port", U("{\"relay\":{\"chatPorts\":[" + portalPort + "]}}")),
                ("the same port twice", U("{\"relay\":{\"chatPorts\":[5222,5222]}}")),
                ("a 33-byte SSID", U("{\"wifi\":{\"ssid\":\"" + new string('s', 33) + "\"}}")),
                ("a 7-character Wi-Fi password", U("{\"wifi\":{\"password\":\"1234567\"}}")),
                ("a control character in an SSID", U("{\"wifi\":{\"ssid\":\"a\\u0001b\"}}")),
                ("a channel of 99", U("{\"setupAp\":{\"channel\":99}}")),
                ("a public host with a space", U("{\"network\":{\"publicHost\":\"a b.example\"}}")),
                ("a dynamic DNS URL that is not one", U("{\"network\":{\"dynDnsUrl\":\"javascript:alert(1)\"}}")),
                ("a portal address that is not one", U("{\"portal\":{\"listenAddress\":\"999.1.1.1\"}}")),
                ("a 5 KB body", U("{\"network\":{\"publicHost\":\"" + new string('h', 5000) + "\"}}")),
            };
        }

        /// <summary>A seeded body: a well-formed change, mutated byte by byte or token by token.</summary>
        public static byte[] Mutation(Random random)
        {
            string[] bases =
            {
                "{\"network\":{\"publicHost\":\"relay-" + random.Next(1000) + ".example\"}}",
                "{\"wifi\":{\"ssid\":\"cafe <b>" + random.Next(1000) + "</b>\"}}",
                "{\"relay\":{\"chatPorts\":[5222,443],\"mediaPorts\":[7777,587]}}",
                "{\"setupAp\":{\"ssid\":\"Pigeon-setup\",\"channel\":" + (1 + random.Next(13)) + "}}",
                "{\"network\":{\"portMapping\":false,\"dynDnsUser\":\"v\"},\"wifi\":{\"ssid\":\"x\"}}",
            };
            return Mutator.Edit(Encoding.UTF8.GetBytes(bases[random.Next(bases.Length)]), random, random.Next(5),
                Mutator.Tokens("{", "}", "[", "]", ",", ":", "\"", "\\", "0", "-", ".", "e", "true", "null", "\\u0000", "\\ud800", "\"k\":1,", "[[[[", "1e308", "-0", "{\"wifi\":", "\u00e9\u4e2d\ud83d\ude00"));
        }

        private static byte[] U(string text)
        {
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
