using System.Collections;
using Pigeon.Json;

namespace Pigeon.Portal
{
    /// <summary>
    /// Validation errors as (path, message) pairs, e.g. ("wifi.ssid", "must be 1-32 bytes"), so
    /// the page can put each message next to its field. Filled by the API's own checks and by
    /// the backend's config validation.
    /// </summary>
    public sealed class FieldErrors
    {
        private readonly ArrayList _paths = new ArrayList();
        private readonly ArrayList _messages = new ArrayList();

        /// <summary>Errors collected.</summary>
        public int Count
        {
            get { return _paths.Count; }
        }

        /// <summary>Adds one error.</summary>
        public void Add(string path, string message)
        {
            _paths.Add(path);
            _messages.Add(message);
        }

        /// <summary>The field path of error <paramref name="index"/> ("relay.chatPorts[1]").</summary>
        public string GetPath(int index)
        {
            return (string)_paths[index];
        }

        /// <summary>The plain-words message of error <paramref name="index"/>.</summary>
        public string GetMessage(int index)
        {
            return (string)_messages[index];
        }

        /// <summary>The message for <paramref name="path"/>, or null (used by tests).</summary>
        public string Find(string path)
        {
            for (int i = 0; i < _paths.Count; i++)
            {
                if ((string)_paths[i] == path)
                {
                    return (string)_messages[i];
                }
            }

            return null;
        }

        /// <summary>Writes {"errors":[{"path":..,"message":..}]} members into an open object.</summary>
        public void WriteTo(JsonWriter json)
        {
            json.Name("errors").BeginArray();
            for (int i = 0; i < _paths.Count; i++)
            {
                json.BeginObject().Member("path", GetPath(i)).Member("message", GetMessage(i)).EndObject();
            }

            json.EndArray();
        }
    }
}
